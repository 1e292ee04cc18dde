import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema.js';

export type Db = NodePgDatabase<typeof schema>;

export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function connectDatabase(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', (err) => console.error('[db] idle client error:', err.message));
  // A checked-out client (a transaction, the Socket.IO adapter's LISTEN connection) has no pool
  // listener: when PostgreSQL restarts, its 'error' event would be unhandled and kill the process.
  // Its pending queries still fail; the pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', (err) => console.error('[db] client error:', err.message)));
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}
