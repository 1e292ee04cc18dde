import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema.js';

export type Db = NodePgDatabase<typeof schema>;

export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Errors of pooled connections (PostgreSQL restarted: one per connection). Default: logged. */
  onConnectionError?: (err: Error) => void;
  /** Getting a connection (a new one, or a free slot) that takes longer than this fails instead of waiting forever. Default: no limit. */
  connectTimeoutMs?: number;
}

export function connectDatabase(url: string, max = 10, opts: DatabaseOptions = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: opts.connectTimeoutMs ?? 0 });
  const onError = opts.onConnectionError ?? ((err: Error) => console.error('[db] connection error:', err.message));
  pool.on('error', onError);
  // A checked-out client (a transaction, the Socket.IO adapter's LISTEN connection) has no pool
  // listener: when PostgreSQL restarts, its 'error' event would be unhandled and kill the process.
  // Its pending queries still fail; the pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', onError));
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}
