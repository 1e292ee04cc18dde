import { createAdapter, type PostgresAdapterOptions } from '@socket.io/postgres-adapter';
import type pg from 'pg';
import { Adapter, MessageType, type BroadcastOptions, type ClusterMessage } from 'socket.io-adapter';
import type { Namespace } from 'socket.io';

type Publisher = { publish(message: ClusterMessage): unknown };

/**
 * The PostgreSQL adapter (events cross API processes through NOTIFY), delivering to this process's own
 * sockets first. The stock cluster adapter awaits the NOTIFY round trip before it delivers locally (to
 * stamp an offset for connection-state recovery, which this adapter does not support): a database round
 * trip and a pool slot on every chat message's path even with one API process. Other processes still
 * get every broadcast, in the order this process published them.
 */
export function createLocalFirstAdapter(pool: pg.Pool, opts: Partial<PostgresAdapterOptions>) {
  const factory = createAdapter(pool, opts);
  // Socket.IO calls it with `new`: a function (not an arrow) returning the adapter.
  return function localFirstAdapter(nsp: Namespace) {
    const adapter = factory(nsp) as Adapter;
    adapter.broadcast = (packet: unknown, options: BroadcastOptions) => {
      if (!options.flags?.local) {
        // Serialised synchronously (before the pool query), so the local delivery below cannot alter it.
        (adapter as unknown as Publisher).publish({
          type: MessageType.BROADCAST,
          data: { packet, opts: { rooms: [...options.rooms], except: [...(options.except ?? [])], flags: options.flags } },
        } as ClusterMessage);
      }
      Adapter.prototype.broadcast.call(adapter, packet, options);
    };
    return adapter;
  };
}
