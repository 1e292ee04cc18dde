import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { AckError } from '../../domain/contracts/events.js';
import { outages, type Dependency } from './outages.js';

/** Texts clients see for failures that are not about their input (one place, so they read alike). */
export const ERROR_TEXT = {
  unavailable: {
    database: 'The desk cannot reach its database right now. Please try again in a few seconds.',
    temporal: 'The desk cannot reach its conversation service right now. Please try again in a few seconds.',
  },
  internal: (errorId: string) => `Something went wrong on our side (error id ${errorId})`,
} as const;

/** Seconds a client is asked to wait (Retry-After) while PostgreSQL or Temporal is unreachable. */
export const OUTAGE_RETRY_AFTER_SEC = 5;

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

/** PostgreSQL or Temporal is unreachable: 503 with Retry-After (REST), `unavailable` (socket ack). */
export class UnavailableError extends HttpError {
  readonly retryAfterSec = OUTAGE_RETRY_AFTER_SEC;
  constructor(readonly dependency: Dependency, message: string = ERROR_TEXT.unavailable[dependency]) {
    super(503, 'unavailable', message);
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

// PostgreSQL SQLSTATEs that mean "the server is not there right now": class 08 (connection exception),
// admin/crash shutdown, cannot connect now (starting up / in recovery), too many connections.
const PG_DOWN_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
const NET_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
const PG_DOWN_TEXT = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|the database system is (starting up|shutting down|in recovery)/i;
// gRPC: UNAVAILABLE (14), DEADLINE_EXCEEDED (4).
const GRPC_DOWN_CODES = new Set([14, 4]);

function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) out.push(e);
  return out;
}

const isGrpcStatus = (e: object): e is { code: number; details: string } =>
  typeof (e as { code?: unknown }).code === 'number' && typeof (e as { details?: unknown }).details === 'string';

/**
 * Which store an error says is unreachable, or null when it is about something else. The one place
 * that knows what a PostgreSQL (pg, through drizzle's wrapper) or Temporal (gRPC) outage looks like.
 */
export function outageOf(err: unknown): Dependency | null {
  if (err instanceof UnavailableError) return err.dependency;
  for (const e of causes(err)) {
    if (typeof e !== 'object' || e === null) continue;
    if (isGrpcStatus(e)) {
      if (GRPC_DOWN_CODES.has(e.code)) return 'temporal';
      continue;
    }
    const name = (e as { name?: unknown }).name;
    if (name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return 'temporal';
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('08') && code.length === 5 || PG_DOWN_STATES.has(code) || NET_DOWN_CODES.has(code))) return 'database';
    if (e instanceof Error && PG_DOWN_TEXT.test(e.message)) return 'database';
  }
  return null;
}

/**
 * Turns any error into the API's JSON error shape. An outage becomes `unavailable` (logged once per
 * outage); anything unknown is logged with an error id and hidden behind a generic text carrying that
 * id, so no SQL, stack or internal message ever reaches a client.
 */
export function toAckError(err: unknown): { status: number; error: AckError; retryAfterSec?: number } {
  if (err instanceof UnavailableError) {
    outages.report(err.dependency, err);
    return { status: 503, error: { code: 'unavailable', message: err.message }, retryAfterSec: err.retryAfterSec };
  }
  if (err instanceof HttpError) return { status: err.status, error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } };
  const down = outageOf(err);
  if (down) return toAckError(new UnavailableError(down));
  const errorId = randomUUID().slice(0, 8);
  console.error(`[api] unexpected error ${errorId}:`, err);
  return { status: 500, error: { code: 'internal', message: ERROR_TEXT.internal(errorId), errorId } };
}

/** Logs a background failure (no client waiting): an outage once per outage, anything else as a warning. */
export function logFailure(what: string, err: unknown): void {
  const down = outageOf(err);
  if (down) outages.report(down, err);
  else console.warn(what, err instanceof Error ? err.message : err);
}

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  // body-parser errors: malformed JSON, too large, wrong charset
  const parserError = err as { type?: string; status?: number };
  if (!(err instanceof HttpError)) {
    if (parserError.type === 'entity.parse.failed') return void res.status(400).json({ error: { code: 'bad_request', message: 'Request body is not valid JSON' } });
    if (parserError.type === 'entity.too.large') return void res.status(413).json({ error: { code: 'bad_request', message: 'Request body is too large' } });
    // Express's and body-parser's own client errors (undecodable path param, unsupported charset, bad gzip,
    // aborted, …) carry a 4xx `status`; their texts are about the request, never about the database.
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      return void res.status(parserError.status).json({ error: { code: 'bad_request', message: err instanceof Error ? err.message : 'Bad request' } });
    }
  }
  const { status, error, retryAfterSec } = toAckError(err);
  if (retryAfterSec) res.setHeader('Retry-After', String(retryAfterSec));
  // The document promises Retry-After on every 503.
  else if (status === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SEC));
  res.status(status).json({ error });
};
