import { describe, expect, it } from 'vitest';
import { urlProblem, WEBHOOK_URL_MAX, webhookStatus } from './webhooks';

describe('webhook form checks', () => {
  it('wants a URL starting with http:// or https://', () => {
    expect(urlProblem('')).toBe('required');
    expect(urlProblem('   ')).toBe('required');
    expect(urlProblem(undefined)).toBe('required');
    expect(urlProblem('ftp://x')).toBe('scheme');
    expect(urlProblem('erp.example.com/hook')).toBe('scheme');
    expect(urlProblem('HTTPS://erp.example.com')).toBe('scheme'); // the server compares case-sensitively
    expect(urlProblem('http://127.0.0.1:9000/hook')).toBeNull();
    expect(urlProblem('  https://erp.example.com/hook  ')).toBeNull();
  });
  it('stops at the length the server takes', () => {
    const base = 'https://e.com/';
    expect(urlProblem(base + 'a'.repeat(WEBHOOK_URL_MAX - base.length))).toBeNull();
    expect(urlProblem(base + 'a'.repeat(WEBHOOK_URL_MAX - base.length + 1))).toBe('long');
  });
  it('is retrying while attempts fail', () => {
    expect(webhookStatus({ failures: 0 })).toBe('ok');
    expect(webhookStatus({ failures: 3 })).toBe('retrying');
  });
});
