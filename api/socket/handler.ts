import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { AckError } from '../../domain/contracts/events.js';
import { badRequest, forbidden, fromZodError, toAckError } from '../http/errors.js';
import { rateLimited, type RateCheck } from '../http/rate-limit.js';
import { assertJsonDepth } from '../http/json-depth.js';
import { assertStorable } from '../http/storable.js';

/**
 * Registers a socket event whose payload is validated by `schema`. Errors (bad payload, rules,
 * unexpected failures) go back through the ack as `{ ok: false, error }`; nothing throws out of here.
 */
export function onEvent<S extends z.ZodType, R extends object>(
  socket: Socket,
  event: string,
  schema: S,
  handler: (payload: z.infer<S>) => Promise<R | void>,
  opts: { /** Consulted before anything else; a refusal acks `rate_limited`. */ limit?: () => RateCheck } = {},
): void {
  socket.on(event, async (...args: unknown[]) => {
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (res: unknown) => void) : undefined;
    const reply = (res: { ok: true } & object | { ok: false; error: AckError }) => { try { ack?.(res); } catch { /* client gone */ } };
    let limit: RateCheck | undefined;
    try {
      limit = opts.limit?.();
      if (limit && !limit.ok) throw rateLimited(limit.retryAfterMs);
      if (args.length > 1) throw badRequest(`${event}: send one payload object (and an ack)`);
      const payload = args[0] === undefined ? {} : args[0];
      assertJsonDepth(payload, event);
      assertStorable(payload, event);
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw fromZodError(parsed.error, event);
      const result = await handler(parsed.data);
      reply({ ok: true, ...(result ?? {}) });
    } catch (err) {
      const { error } = toAckError(err);
      // An event the desk could not serve (a store down) does not use up the sender's rate budget.
      if (error.code === 'unavailable' && limit?.ok) limit.refund?.();
      reply({ ok: false, error });
    }
  });
}

/**
 * Answers events this connection has no handler for (a visitor sending staff events, unknown names)
 * with an error ack instead of leaving the client waiting for a timeout.
 */
export function rejectUnhandledEvents(socket: Socket): void {
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (socket.listeners(event as string).length > 0) return;
    const ack = args[args.length - 1];
    if (typeof ack !== 'function') return;
    const name = String(event).slice(0, 64);
    try { (ack as (response: unknown) => void)({ ok: false, error: toAckError(forbidden(`Event "${name}" is not available on this connection`)).error }); } catch { /* client gone */ }
  });
}
