import { encode } from '@msgpack/msgpack';
import type pg from 'pg';
import type { ServerToClientEvents } from '../domain/contracts/events.js';

/**
 * Emits Socket.IO events from the worker to clients connected to any API process, by publishing
 * on the channel @socket.io/postgres-adapter listens to. (@socket.io/postgres-emitter 0.1.x speaks
 * an older message format the 0.5 adapter ignores: it lacks `nsp`.) Awaitable, so a failed NOTIFY
 * fails the activity and Temporal retries it.
 */
const CHANNEL = 'socket.io#/';
const NOTIFY_LIMIT = 7900; // PostgreSQL NOTIFY payloads must stay under 8000 bytes
const MAX_NOTIFIES_PER_STATEMENT = 200;
const BROADCAST = 3; // socket.io-adapter MessageType.BROADCAST
const SOCKETS_LEAVE = 5; // socket.io-adapter MessageType.SOCKETS_LEAVE
const EVENT_PACKET = 2; // socket.io-parser PacketType.EVENT

/** One adapter message, ready to publish. */
export interface Outgoing {
  message: object;
  payload: string;
}

export class SocketEmitter {
  /**
   * Must be the adapter's EMITTER_UID: the cluster adapter counts every other uid it hears from as a
   * Socket.IO server, and then waits (5 s, then fails) for that "server" to answer fetchSockets.
   */
  private readonly uid = 'emitter';
  constructor(private readonly pool: pg.Pool) {}

  /** The sockets in `from` (e.g. an agent's room) leave `rooms`, on every API process. */
  leave(from: string, rooms: string[]): Outgoing {
    return this.outgoing({ uid: this.uid, nsp: '/', type: SOCKETS_LEAVE, data: { opts: { rooms: [from], except: [], flags: {} }, rooms } });
  }

  event<E extends keyof ServerToClientEvents>(rooms: string | string[], event: E, ...args: Parameters<ServerToClientEvents[E]>): Outgoing {
    return this.outgoing({
      uid: this.uid,
      nsp: '/',
      type: BROADCAST,
      data: {
        packet: { type: EVENT_PACKET, data: [event, ...args], nsp: '/' },
        opts: { rooms: Array.isArray(rooms) ? rooms : [rooms], except: [], flags: {} },
      },
    });
  }

  /**
   * Publishes in order. Consecutive small messages go out in one statement (one round trip, one
   * transaction: NOTIFYs of a transaction are delivered together, in the order they were sent);
   * a message too large for NOTIFY is stored and its id notified.
   */
  async publish(outgoing: Outgoing[]): Promise<void> {
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const calls = batch.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ');
      await this.pool.query(`SELECT ${calls}`, [CHANNEL, ...batch]);
      batch = [];
    };
    for (const item of outgoing) {
      if (Buffer.byteLength(item.payload) <= NOTIFY_LIMIT) {
        batch.push(item.payload);
        if (batch.length >= MAX_NOTIFIES_PER_STATEMENT) await flush();
        continue;
      }
      await flush();
      const { rows } = await this.pool.query<{ id: string }>('INSERT INTO socket_io_attachments (payload) VALUES ($1) RETURNING id', [Buffer.from(encode(item.message))]);
      await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ uid: this.uid, type: BROADCAST, attachmentId: rows[0].id })]);
    }
    await flush();
  }

  private outgoing(message: object): Outgoing {
    return { message, payload: JSON.stringify(message) };
  }
}
