import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { AckError } from '../../shared/events.js';
import { fromZodError, toAckError } from '../http/errors.js';

/**
 * Registers a socket event whose payload is validated by `schema`. Errors (bad payload, rules,
 * unexpected failures) go back through the ack as `{ ok: false, error }`; nothing throws out of here.
 */
export function onEvent<S extends z.ZodType, R extends object>(
  socket: Socket,
  event: string,
  schema: S,
  handler: (payload: z.infer<S>) => Promise<R | void>,
): void {
  socket.on(event, async (...args: unknown[]) => {
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (res: unknown) => void) : undefined;
    const reply = (res: { ok: true } & object | { ok: false; error: AckError }) => { try { ack?.(res); } catch { /* client gone */ } };
    try {
      const parsed = schema.safeParse(args[0] ?? {});
      if (!parsed.success) throw fromZodError(parsed.error, event);
      const result = await handler(parsed.data);
      reply({ ok: true, ...(result ?? {}) });
    } catch (err) {
      reply({ ok: false, error: toAckError(err).error });
    }
  });
}
