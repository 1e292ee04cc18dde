import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { conflict, HttpError } from '../http/errors.js';

/** Maps a rejected workflow update or a finished workflow to a clear client error. */
export function fromTemporalError(err: unknown, notRunning = 'This conversation has already finished'): never {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    throw new HttpError(409, 'conflict', err.cause.message);
  }
  if (err instanceof WorkflowNotFoundError || (err instanceof Error && /workflow execution already completed|not found/i.test(err.message))) {
    throw conflict(notRunning);
  }
  throw err;
}
