import { createAdapter, type PostgresAdapterOptions } from '@socket.io/postgres-adapter';
import type pg from 'pg';
import { Adapter, MessageType, type BroadcastOptions, type ClusterMessage } from 'socket.io-adapter';
import type { Namespace } from 'socket.io';

/** The cluster adapter's own publish step, which (unlike `publish`) resolves once the NOTIFY is sent. */
type Publisher = { publishAndReturnOffset(message: ClusterMessage): Promise<unknown> };

/**
 * The PostgreSQL adapter (events cross API processes through NOTIFY), delivering to this process's own
 * sockets first. The stock cluster adapter awaits the NOTIFY round trip before it delivers locally (to
 * stamp an offset for connection-state recovery, which this adapter does not support): a database round
 * trip and a pool slot on every chat message's path even with one API process. Other processes still
 * get every broadcast, in the order this process published them (one NOTIFY at a time).
 */
export function createLocalFirstAdapter(pool: pg.Pool, opts: Partial<PostgresAdapterOptions>) {
  const factory = createAdapter(pool, opts);
  // Socket.IO calls it with `new`: a function (not an arrow) returning the adapter.
  return function localFirstAdapter(nsp: Namespace) {
    const adapter = factory(nsp) as Adapter;
    const publisher = adapter as unknown as Publisher;
    // One NOTIFY at a time: the adapter sends each on whichever pool connection is free, so two in
    // flight could commit (and reach the other processes) in either order.
    let published: Promise<unknown> = Promise.resolve();
    adapter.broadcast = (packet: unknown, options: BroadcastOptions) => {
      if (!options.flags?.local) {
        // Copied now, so the local delivery below cannot alter what is published later.
        const message = structuredClone({
          type: MessageType.BROADCAST,
          data: { packet, opts: { rooms: [...options.rooms], except: [...(options.except ?? [])], flags: options.flags } },
        }) as ClusterMessage;
        published = published.then(() => publisher.publishAndReturnOffset(message)).catch(() => { /* the adapter reports its own errors */ });
      }
      Adapter.prototype.broadcast.call(adapter, packet, options);
    };
    return adapter;
  };
}
