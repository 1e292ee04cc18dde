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
 * Runs Temporal client calls under one gRPC deadline (`ctx.config.temporalCallTimeoutMs`, default 4 s):
 * the client's retry interceptor retries UNAVAILABLE for ~15 s, but never past the call's deadline. A
 * call cut off this way fails with DEADLINE_EXCEEDED, which the API answers as 503 `unavailable`.
 */
export function withTemporalDeadline<T>(ctx: ApiContext, run: () => Promise<T>): Promise<T> {
  return ctx.temporal.connection.withDeadline(Date.now() + (ctx.config.temporalCallTimeoutMs ?? DEFAULT_TEMPORAL_CALL_TIMEOUT_MS), run);
}

export const DEFAULT_TEMPORAL_CALL_TIMEOUT_MS = 4_000;
