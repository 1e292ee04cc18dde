import { ApiError, httpError, networkError, timeoutError } from './errors.js';

/**
 * Parley's REST client, for the browser (same-origin fetch: the staff session cookie plus its CSRF
 * header, or a visitor's Bearer token) and for Node (tests, the fault suite, the benchmark: Bearer).
 * `send` returns any answer as it came (status and parsed body); `request` and `call` return the body
 * of a 2xx answer and throw an ApiError for anything else. Typed operations are in client/operations.ts.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestAuth {
  /** The Bearer token to send, if any (read on every request: a visitor's token may change). */
  token?: () => string | null | undefined;
  /** The CSRF token of a cookie session, echoed in `csrfHeader` on state-changing requests sent without a Bearer token. */
  csrf?: () => string | null;
  csrfHeader?: string;
}

export interface RestClientOptions {
  auth?: RestAuth;
  /** Called when the server answers 401 to a request made as the signed-in principal (not an explicitly anonymous one). */
  onUnauthorized?: () => void;
  /** Per-request time limit (ms); none by default. */
  timeoutMs?: number;
}

export interface SendInit {
  /** A JSON value to send; `raw` (sent as is, still as application/json) wins when both are set. */
  body?: unknown;
  raw?: string;
  /** The Content-Type of `raw` (default application/json), e.g. text/csv. */
  contentType?: string;
  /** `null`: anonymous (no Bearer, even if the client has one); a string: this token instead of the client's. */
  token?: string | null;
  timeoutMs?: number;
}

export interface RawAnswer<T = unknown> {
  status: number;
  ok: boolean;
  /** The parsed JSON body; null when empty, the text itself when it is not JSON. */
  body: T;
}

const SAFE_METHODS: readonly Method[] = ['GET'];

export interface RestClient {
  readonly baseUrl: string;
  /** One request; any HTTP answer resolves. Transport failures reject with ApiError `network` or `timeout`. */
  send<T = unknown>(method: Method, path: string, init?: SendInit): Promise<RawAnswer<T>>;
  /** One request; a 2xx answer resolves with its body, anything else rejects with an ApiError from the server's error body. */
  request<T>(method: Method, path: string, body?: unknown, init?: Omit<SendInit, 'body'> & { text?: boolean }): Promise<T>;
  /** A typed operation of the REST contract (client/operations.ts). */
  call<P, B, R>(op: Operation<P, B, R>, ...input: OperationArgs<P, B>): Promise<R>;
}

/** One REST operation: its method and path; the type parameters carry its path parameters, body and response. */
export interface Operation<P, B, R> {
  method: Method;
  path: (params: P) => string;
  /** Phantom: never set, only carries the body and response types. */
  readonly types?: { body: B; response: R };
  /** `csv`: the body is CSV text, sent as is (text/csv); `text`: the answer is text (e.g. a CSV file), returned as a string. */
  readonly bodyType?: 'csv';
  readonly responseType?: 'text';
}

export type OperationInput<P, B> =
  & ([P] extends [void] ? { params?: undefined } : { params: P })
  & ([B] extends [undefined] ? { body?: undefined } : { body: B })
  & { token?: string | null; timeoutMs?: number };
export type OperationArgs<P, B> = [P] extends [void]
  ? ([B] extends [undefined] ? [input?: OperationInput<P, B>] : [input: OperationInput<P, B>])
  : [input: OperationInput<P, B>];

export function restClient(baseUrl = '', options: RestClientOptions = {}): RestClient {
  const { auth = {} } = options;

  async function send<T = unknown>(method: Method, path: string, init: SendInit = {}): Promise<RawAnswer<T>> {
    const token = init.token !== undefined ? init.token : auth.token?.() ?? null;
    const payload = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (payload !== undefined) headers['Content-Type'] = (init.raw !== undefined && init.contentType) || 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    // A cookie session proves the request comes from the app's own page by echoing its CSRF cookie.
    const csrf = !token && !SAFE_METHODS.includes(method) ? auth.csrf?.() : null;
    if (csrf) headers[auth.csrfHeader ?? 'X-CSRF-Token'] = csrf;
    const timeoutMs = init.timeoutMs ?? options.timeoutMs;

    let res: Response;
    let text: string;
    try {
      res = await fetch(baseUrl + path, {
        method, headers, body: payload, ...(timeoutMs !== undefined ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
      });
      text = await res.text();
    } catch (err) {
      throw (err as Error)?.name === 'TimeoutError' ? timeoutError() : networkError();
    }
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (res.status === 401 && init.token !== null) options.onUnauthorized?.();
    return { status: res.status, ok: res.ok, body: body as T };
  }

  async function request<T>(method: Method, path: string, body?: unknown, init: Omit<SendInit, 'body'> & { text?: boolean } = {}): Promise<T> {
    const { text, ...sendInit } = init;
    const answer = await send<unknown>(method, path, { ...sendInit, body });
    if (!answer.ok) throw httpError(answer.status, answer.body);
    if (text) return (typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? '')) as T;
    return (typeof answer.body === 'string' ? undefined : answer.body) as T;
  }

  function call<P, B, R>(op: Operation<P, B, R>, ...[input]: OperationArgs<P, B>): Promise<R> {
    const i = (input ?? {}) as { params?: P; body?: B; token?: string | null; timeoutMs?: number };
    const init = { token: i.token, timeoutMs: i.timeoutMs, text: op.responseType === 'text' };
    if (op.bodyType === 'csv') return request<R>(op.method, op.path(i.params as P), undefined, { ...init, raw: String(i.body), contentType: 'text/csv' });
    return request<R>(op.method, op.path(i.params as P), i.body, init);
  }

  return { baseUrl, send, request, call };
}

export { ApiError };
