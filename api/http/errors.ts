import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { AckError } from '../../shared/events.js';

/** An error with an HTTP status and a code clients can branch on; its message is shown to users. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: AckError['code'],
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, field?: string) => new HttpError(400, 'bad_request', message, field);
export const unauthorized = (message = 'Sign in first') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'You are not allowed to do this') => new HttpError(403, 'forbidden', message);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);

export function fromZodError(err: z.ZodError, where: string): HttpError {
  const issue = err.issues[0];
  const field = issue.path.length ? issue.path.join('.') : undefined;
  return badRequest(field ? `${where}.${field}: ${issue.message}` : `${where}: ${issue.message}`, field);
}

/** Turns any error into the API's JSON error shape; unknown errors are logged and hidden. */
export function toAckError(err: unknown): { status: number; error: AckError } {
  if (err instanceof HttpError) return { status: err.status, error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } };
  console.error('[api] unexpected error:', err);
  return { status: 500, error: { code: 'internal', message: 'Something went wrong on our side' } };
}

/** Seconds a client is told to wait when a store is down (503) and the answer does not say otherwise. */
const RETRY_AFTER_UNAVAILABLE_SEC = 5;

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof HttpError) {
    // The document promises Retry-After on every 503.
    if (err.status === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', String(RETRY_AFTER_UNAVAILABLE_SEC));
    return void res.status(err.status).json({ error: toAckError(err).error });
  }
  // body-parser errors: malformed JSON, too large, wrong charset
  const parserError = err as { type?: string; status?: number };
  if (parserError.type === 'entity.parse.failed') return void res.status(400).json({ error: { code: 'bad_request', message: 'Request body is not valid JSON' } });
  if (parserError.type === 'entity.too.large') return void res.status(413).json({ error: { code: 'bad_request', message: 'Request body is too large' } });
  if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    return void res.status(parserError.status).json({ error: { code: 'bad_request', message: err instanceof Error ? err.message : 'Bad request' } });
  }
  const { status, error } = toAckError(err);
  res.status(status).json({ error });
};
