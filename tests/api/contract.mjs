// The contract check of the API tests: every request a test sends to a gongdan server and every
// answer it gets are checked against docs/openapi.json with Ajv (JSON Schema 2020-12, which
// OpenAPI 3.1 schemas are): the operation exists, the answer's status is one it lists, the
// Content-Type is one it lists (none for an answer without content), the headers it promises
// are there, and the body fits the schema. A request the test sends on purpose as invalid
// carries the header in INVALID (taken off before it is sent): its answer is still checked,
// the request is not. lib.mjs applies this to every fetch made to a server it started.
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const doc = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
// the document's own fields are not schema keywords; the schemas are reached by JSON pointer
for (const k of ['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components']) ajv.addKeyword(k);
ajv.addSchema(doc, 'openapi.json');

/** Headers a test adds to a request that is invalid on purpose (or goes to a path the document
 * does not describe, to see the 404): its answer is checked, the request is not. */
export const INVALID_HEADER = 'x-contract-invalid-request';
export const INVALID = Object.freeze({ [INVALID_HEADER]: 'on purpose' });

const API_PATH = /^\/(api\/|healthz$|metrics$)/;
const routes = Object.entries(doc.paths).map(([template, item]) => ({
  template,
  item,
  re: new RegExp('^' + template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '([^/]+)') + '$'),
  names: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
  literal: !template.includes('{'),
}));

const validators = new Map();
function validator(pointer) {
  let v = validators.get(pointer);
  if (!v) {
    v = ajv.compile({ $ref: 'openapi.json#' + pointer });
    validators.set(pointer, v);
  }
  return v;
}
const esc = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const explain = (v) => ajv.errorsText(v.errors, { separator: '; ', dataVar: '' });

/** The operation of method + path: {template, op, pointer, params}; null for an undescribed path. */
export function operationOf(method, pathname) {
  // a literal path (/workorders/counts) wins over a template that also matches it (/workorders/{id})
  const hits = routes.filter((r) => r.re.test(pathname)).sort((a, b) => Number(b.literal) - Number(a.literal));
  const r = hits[0];
  if (!r) return null;
  const m = method.toLowerCase();
  const decode = (v) => { try { return decodeURIComponent(v); } catch { return v; } };
  const params = Object.fromEntries(r.names.map((n, i) => [n, decode(pathname.match(r.re)[i + 1])]));
  return { template: r.template, op: r.item[m], pointer: `/paths/${esc(r.template)}/${m}`, params, methods: Object.keys(r.item) };
}

const mediaType = (ct) => (ct || '').split(';')[0].trim().toLowerCase();
function mediaMatches(pattern, type) {
  if (pattern === '*/*') return true;
  if (pattern.endsWith('/*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

// A query or path value as the schema sees it: numbers where the schema wants one.
function coerce(schema, value) {
  const t = schema?.type;
  const types = Array.isArray(t) ? t : [t];
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

/** Problems with a request the test means as valid (empty when none). */
export function checkRequest(method, url, headers, body) {
  const u = new URL(url);
  if (!API_PATH.test(u.pathname)) return [];
  const found = operationOf(method, u.pathname);
  if (!found) return [`${method} ${u.pathname} is not described`];
  if (!found.op) return [`${method} ${found.template} is not described (only ${found.methods.join(', ')})`];
  const where = `${method} ${found.template}`;
  const problems = [];
  const params = found.op.parameters || [];
  const check = (p, i, value) => {
    const v = validator(`${found.pointer}/parameters/${i}/schema`);
    if (!v(coerce(p.schema, value))) problems.push(`${where}: ${p.in} parameter ${p.name}=${JSON.stringify(value)}: ${explain(v)}`);
  };
  params.forEach((p, i) => {
    if (p.in === 'path') check(p, i, found.params[p.name]);
    if (p.in === 'query' && u.searchParams.has(p.name)) check(p, i, u.searchParams.get(p.name));
    if (p.in === 'header') {
      const value = headers.get(p.name);
      if (value === null && p.required) problems.push(`${where}: header ${p.name} is required`);
      if (value !== null) check(p, i, value);
    }
  });
  // a deepObject parameter (field[size]=L) is described by its name before the brackets
  const deep = (name) => params.some((p) => p.in === 'query' && p.style === 'deepObject' &&
    name.startsWith(`${p.name}[`) && name.endsWith(']'));
  for (const name of new Set(u.searchParams.keys())) {
    if (!params.some((p) => p.in === 'query' && p.name === name) && !deep(name)) problems.push(`${where}: query parameter ${name} is not described`);
  }
  const rb = found.op.requestBody;
  const hasBody = body !== undefined && body !== null;
  if (!hasBody) {
    if (rb?.required) problems.push(`${where}: the request body is required`);
    return problems;
  }
  if (!rb) return [...problems, `${where} takes no request body`];
  const type = body instanceof FormData ? 'multipart/form-data' : mediaType(headers.get('content-type'));
  const declared = Object.keys(rb.content);
  if (!declared.some((d) => mediaMatches(d, type))) return [...problems, `${where}: request Content-Type ${type} is not one of ${declared.join(', ')}`];
  if (type === 'application/json') {
    let parsed;
    try {
      parsed = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
    } catch {
      return [...problems, `${where}: the request body is not JSON`];
    }
    const v = validator(`${found.pointer}/requestBody/content/${esc('application/json')}/schema`);
    if (!v(parsed)) problems.push(`${where}: request body: ${explain(v)}`);
  }
  return problems;
}

/** Problems with an answer (empty when none). `text` is the body, or null when it was not read
 * (an event stream). */
export function checkResponse(method, url, res, text) {
  const u = new URL(url);
  if (!API_PATH.test(u.pathname)) return [];
  const found = operationOf(method, u.pathname);
  if (!found || !found.op) return []; // the request was checked (or marked) already
  const where = `${method} ${found.template} -> ${res.status}`;
  const declared = found.op.responses[String(res.status)] ?? found.op.responses.default;
  if (!declared) return [`${where}: status ${res.status} is not listed (${Object.keys(found.op.responses).join(', ')})`];
  const key = found.op.responses[String(res.status)] ? String(res.status) : 'default';
  const rpointer = `${found.pointer}/responses/${key}`;
  const problems = [];
  for (const [name, h] of Object.entries(declared.headers || {})) {
    if (!h.required || res.headers.has(name)) continue;
    problems.push(`${where}: header ${name} is promised but missing`);
  }
  const ct = res.headers.get('content-type');
  if (!declared.content) {
    if (ct) problems.push(`${where}: no content is described, but Content-Type is ${ct}`);
    if (text) problems.push(`${where}: no content is described, but the body is ${JSON.stringify(text.slice(0, 200))}`);
    return problems;
  }
  const type = mediaType(ct);
  const media = Object.keys(declared.content).find((d) => mediaMatches(d, type));
  if (!media) return [...problems, `${where}: Content-Type ${ct} is not one of ${Object.keys(declared.content).join(', ')}`];
  if (media === 'application/json' && text !== null) {
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return [...problems, `${where}: the body is not JSON: ${JSON.stringify(text.slice(0, 200))}`];
    }
    const v = validator(`${rpointer}/content/${esc(media)}/schema`);
    if (!v(body)) problems.push(`${where}: body: ${explain(v)}`);
  }
  return problems;
}
