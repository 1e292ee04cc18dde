import type { AckError } from '../domain/contracts/events.js';

/** Codes from the REST and socket contracts, plus the two the client produces itself. */
export type ErrorCode = AckError['code'] | 'network' | 'timeout' | (string & {});

/** Every failed request (REST answer or socket ack) surfaces as one of these. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  /** The HTTP status; 0 for socket acks and for requests that got no answer. */
  readonly status: number;
  readonly field?: string;
  /** The whole parsed error body, for answers that carry more than `error` (e.g. a 422 with `problems`). */
  readonly body?: unknown;

  constructor(code: ErrorCode, message: string, status = 0, field?: string, body?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.field = field;
    this.body = body;
  }

  get isUnauthorized(): boolean {
    return this.status === 401 || this.code === 'unauthorized';
  }
}

/** `{ error: { code, message, field? } }`, the shape of every refusal (REST body and socket ack alike). */
export function isErrorBody(x: unknown): x is { error: { code: string; message: string; field?: string } } {
  if (typeof x !== 'object' || x === null || !('error' in x)) return false;
  const e = (x).error;
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string';
}

/** The error a non-2xx HTTP answer stands for: the server's `{ code, message, field }`, else one from the status. */
export function httpError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(body.error.code, body.error.message, status, body.error.field, body);
  return new ApiError(status === 401 ? 'unauthorized' : 'internal', `Request failed (${status})`, status);
}

/** The error an `{ ok: false }` ack (or an ack of no known shape) stands for. */
export function ackError(res: unknown): ApiError {
  if (isErrorBody(res)) return new ApiError(res.error.code, res.error.message, 0, res.error.field);
  return new ApiError('internal', 'Unexpected answer from the server');
}

export const networkError = () => new ApiError('network', 'Cannot reach the server. Check your connection and try again.');
export const timeoutError = () => new ApiError('timeout', 'The server did not answer in time. Please try again.');
