// The one place that talks to /api/v1: JSON, CSRF header on mutations, server errors (ApiError;
// what the user reads about them is decided in lib/errors.ts).
import type { paths } from './api.generated';
import { takeEarly } from './early';
import { errorText } from './errors';
import type { Lang } from './i18n';

import { qs, type QueryValue } from './query';

export { qs };

export class ApiError extends Error {
  status: number;
  code: string;
  field?: string;
  requestId?: string;
  constructor(status: number, code: string, message: string, field?: string, requestId?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.requestId = requestId;
  }
}

let csrfToken: string | null = null;
export function setCsrf(token: string | null) {
  csrfToken = token;
}

let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(fn: (() => void) | null) {
  onUnauthorized = fn;
}

// 403 password_change_required: the signed-in user must set a new password before anything else
let onPasswordChange: (() => void) | null = null;
export function setPasswordChangeHandler(fn: (() => void) | null) {
  onPasswordChange = fn;
}

export interface RequestOpts {
  body?: unknown;
  ifMatch?: number | string;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** don't trigger the global sign-out on 401 (used by /me and /session) */
  quiet401?: boolean;
}

export function uuid(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

export async function parseError(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = `${res.status} ${res.statusText}`;
  let field: string | undefined;
  let requestId: string | undefined;
  try {
    const j = await res.json();
    if (j && j.error) {
      code = j.error.code ?? code;
      message = j.error.message ?? message;
      field = j.error.field ?? undefined;
      requestId = j.error.request_id ?? undefined;
    }
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, code, message, field, requestId);
}

/** The one transport: `path` below /api/v1 as sent. Pages use the typed get/post/put/patch/del below. */
async function api(method: string, path: string, opts: RequestOpts = {}): Promise<unknown> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (opts.ifMatch !== undefined) headers['If-Match'] = String(opts.ifMatch);
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res: Response;
  try {
    // the first page's first requests may already be on their way (lib/early.ts): the same request, taken once
    const early = method === 'GET' && !opts.signal ? takeEarly(path) : null;
    res = await (early ?? fetch(`/api/v1${path}`, { method, headers, body, credentials: 'same-origin', signal: opts.signal }));
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', (e as Error).message || 'network error');
  }
  if (!res.ok) {
    const err = await parseError(res);
    if (res.status === 401 && !opts.quiet401 && onUnauthorized) onUnauthorized();
    if (res.status === 403 && err.code === 'password_change_required' && onPasswordChange) onPasswordChange();
    throw err;
  }
  if (res.status === 204) return undefined;
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

// ---- requests typed by path ----
// A page names the contract's path below /api/v1 as docs/openapi.json writes it ('/workorders/{id}') with its
// ids in `params`; the body's and the answer's types follow from the path through the generated `paths`
// (lib/api.generated.ts), so one endpoint cannot be typed two ways and a path the contract lacks does not
// compile.

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Below<K> = K extends `/api/v1${infer P}` ? P : never;
/** The contract's paths below /api/v1 that answer `M`. */
export type ApiPath<M extends Method> = {
  [K in keyof paths]: M extends keyof paths[K] ? ([NonNullable<paths[K][M]>] extends [never] ? never : Below<K>) : never;
}[keyof paths];
type Op<M extends Method, P extends string> = `/api/v1${P}` extends infer K
  ? K extends keyof paths
    ? M extends keyof paths[K]
      ? NonNullable<paths[K][M]>
      : never
    : never
  : never;
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : undefined;
/** What a request answers when it succeeds (undefined for 204). */
export type Answer<M extends Method, P extends string> = Op<M, P> extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201 | 202 | 204>]> : never;
/** The JSON body a request takes. */
export type Body<M extends Method, P extends string> =
  Op<M, P> extends { requestBody?: infer B } ? (NonNullable<B> extends { content: { 'application/json': infer J } } ? J : never) : never;
type PathParams<P extends string> = P extends `${string}{${infer K}}${infer Rest}` ? Record<K, string> & PathParams<Rest> : unknown;
type HasParams<P extends string> = P extends `${string}{${string}}${string}` ? true : false;
/** A query as the contract lists a request's parameters, each also null or undefined for "not sent" (qs drops
 * them); a request whose path takes none takes no query. */
export type Query<M extends Method, P extends string> =
  Op<M, P> extends { parameters: { query?: infer Q } }
    ? [NonNullable<Q>] extends [never]
      ? never
      : { [K in keyof NonNullable<Q>]?: NonNullable<Q>[K] | null }
    : never;
type Opts<M extends Method, P extends string> = Omit<RequestOpts, 'body'> & { query?: Query<M, P> } & (HasParams<P> extends true
    ? { params: PathParams<P> }
    : { params?: never }) &
  (M extends 'get' | 'delete' ? unknown : { body?: Body<M, P> });
type Args<M extends Method, P extends string> = HasParams<P> extends true ? [opts: Opts<M, P>] : [opts?: Opts<M, P>];

/** `path` with its `{name}` segments filled from `params` (encoded), then the query (qs drops empty values). */
export function fillPath(path: string, params: Record<string, string> = {}, query?: Readonly<Record<string, QueryValue>>): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (params[k] === undefined) throw new Error(`${path}: no value for {${k}}`);
    return encodeURIComponent(params[k]);
  });
  return filled + (query ? qs(query) : '');
}

type CallOpts = Omit<RequestOpts, 'body'> & { query?: Record<string, QueryValue>; params?: Record<string, string>; body?: unknown };

function call(method: Method, path: string, opts: unknown) {
  const { params, query, ...rest } = (opts ?? {}) as CallOpts;
  // a POST without a body sends {} (the server reads JSON)
  const body = method === 'post' && rest.body === undefined ? {} : rest.body;
  return api(method.toUpperCase(), fillPath(path, params, query), { ...rest, body });
}

export const get = <P extends ApiPath<'get'>>(path: P, ...[opts]: Args<'get', P>) => call('get', path, opts) as Promise<Answer<'get', P>>;
export const post = <P extends ApiPath<'post'>>(path: P, ...[opts]: Args<'post', P>) => call('post', path, opts) as Promise<Answer<'post', P>>;
export const put = <P extends ApiPath<'put'>>(path: P, ...[opts]: Args<'put', P>) => call('put', path, opts) as Promise<Answer<'put', P>>;
export const patch = <P extends ApiPath<'patch'>>(path: P, ...[opts]: Args<'patch', P>) => call('patch', path, opts) as Promise<Answer<'patch', P>>;
export const del = <P extends ApiPath<'delete'>>(path: P, ...[opts]: Args<'delete', P>) => call('delete', path, opts) as Promise<Answer<'delete', P>>;

/** Upload one file with progress (fetch has no upload progress, XHR does): POST /attachments. */
export function upload(file: File, onProgress: (pct: number) => void): Promise<Answer<'post', '/attachments'>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/attachments');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.setRequestHeader('Idempotency-Key', uuid());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let j: any = null;
      try {
        j = JSON.parse(xhr.responseText);
      } catch {
        /* ignore */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(j);
      else
        reject(
          new ApiError(
            xhr.status,
            j?.error?.code ?? `http_${xhr.status}`,
            j?.error?.message ?? (`${xhr.status} ${xhr.statusText}`.trim() || 'upload failed'),
            j?.error?.field ?? undefined,
            j?.error?.request_id ?? undefined,
          ),
        );
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    const fd = new FormData();
    fd.append('file', file);
    xhr.send(fd);
  });
}

/** An error as one line of text in the interface language (see lib/errors.ts; components use <ErrorMessage>). */
export function errorMessage(e: unknown, lang: Lang): string {
  return errorText(e, lang);
}
