import { describe, expect, it } from 'vitest';
import { isRobot, robotProblem, toggleMuted } from './notifications';

describe('notification preferences', () => {
  it('switching a kind off adds it, on removes it, in the server order', () => {
    expect(toggleMuted([], 'mentioned', false)).toEqual(['mentioned']);
    expect(toggleMuted(['mentioned'], 'assigned', false)).toEqual(['assigned', 'mentioned']);
    expect(toggleMuted(['assigned', 'mentioned'], 'assigned', true)).toEqual(['mentioned']);
  });
});

describe('robots', () => {
  it('a robot is a webhook of the dingtalk or wecom format', () => {
    expect(isRobot({ format: 'dingtalk' })).toBe(true);
    expect(isRobot({ format: 'wecom' })).toBe(true);
    expect(isRobot({ format: 'gongdan' })).toBe(false);
  });
  it('checks https and the DingTalk secret before the server does', () => {
    expect(robotProblem('wecom', '', undefined)).toEqual({ field: 'url', rule: 'required' });
    expect(robotProblem('wecom', 'http://qyapi.weixin.qq.com/x', undefined)).toEqual({ field: 'url', rule: 'https' });
    expect(robotProblem('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1', undefined)).toBeNull();
    expect(robotProblem('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=1', ' ')).toEqual({ field: 'secret', rule: 'required' });
    expect(robotProblem('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=1', 'S'.repeat(201))).toEqual({ field: 'secret', rule: 'long' });
    expect(robotProblem('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=1', 'SEC1')).toBeNull();
  });
});
