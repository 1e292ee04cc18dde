import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isWorkflowGone } from '../../domain/contracts/temporal-errors.js';
import type { ApiContext } from '../context.js';
import { conflict, HttpError } from '../http/errors.js';

/** Maps a rejected workflow update or a finished workflow to a clear client error. */
export function fromTemporalError(err: unknown, notRunning = 'This conversation has already finished'): never {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    throw new HttpError(409, 'conflict', err.cause.message);
  }
  if (isWorkflowGone(err)) {
    throw conflict(notRunning);
  }
  throw err;
}

/**
 * The server gives up an update whose workflow task failed (a worker stopping mid-task): the update was
 * never applied, so asking again is safe. Seen as FAILED_PRECONDITION "…unexpected workflow task failure".
 */
export async function retryAbortedUpdate<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !isAbortedUpdate(err)) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

function isAbortedUpdate(err: unknown): boolean {
  const texts = [err, err instanceof Error ? (err as { cause?: unknown }).cause : undefined]
    .map((e) => (e instanceof Error ? e.message : ''));
  return texts.some((t) => /unexpected workflow task failure/i.test(t));
}

/**
 * Runs Temporal client calls under one gRPC deadline (`ctx.config.temporalCallTimeoutMs`, default 4 s):
 * the client's retry interceptor retries UNAVAILABLE for ~15 s, but never past the call's deadline. A
 * call cut off this way fails with DEADLINE_EXCEEDED, which the API answers as 503 `unavailable`.
 */
export function withTemporalDeadline<T>(ctx: ApiContext, run: () => Promise<T>): Promise<T> {
  return ctx.temporal.connection.withDeadline(Date.now() + (ctx.config.temporalCallTimeoutMs ?? DEFAULT_TEMPORAL_CALL_TIMEOUT_MS), run);
}

export const DEFAULT_TEMPORAL_CALL_TIMEOUT_MS = 4_000;
