// The one place that talks to /api/v1: JSON, CSRF header on mutations, server errors (ApiError;
// what the user reads about them is decided in lib/errors.ts).
import { takeEarly } from './early';
import { errorText } from './errors';
import type { Lang } from './i18n';

export { qs } from './query';

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

export async function api<T = unknown>(method: string, path: string, opts: RequestOpts = {}): Promise<T> {
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
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, opts?: RequestOpts) => api<T>('GET', path, opts);
export const post = <T>(path: string, body?: unknown, opts?: RequestOpts) => api<T>('POST', path, { ...opts, body: body ?? {} });

/** Upload one file with progress (fetch has no upload progress, XHR does). */
export function upload<T>(file: File, onProgress: (pct: number) => void): Promise<T> {
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
      if (xhr.status >= 200 && xhr.status < 300) resolve(j as T);
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
