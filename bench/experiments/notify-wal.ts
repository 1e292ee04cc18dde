/**
 * Experiment: does a NOTIFY-only transaction wait for a WAL flush, as a chat message's INSERT does?
 * Counts WAL syncs per statement (pg_stat_wal) on a throwaway embedded PostgreSQL with the bench's
 * durability settings (fsync and synchronous_commit on).
 *   npx tsx bench/experiments/notify-wal.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../scripts/lib/ports.js';
import { startEmbeddedPostgres } from '../../scripts/lib/postgres.js';

const STATEMENTS = 300;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-notify-wal-'));
fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach its data dir
const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort() });
const client = new pg.Client({ connectionString: server.url });
const observer = new pg.Client({ connectionString: server.url });
try {
  await client.connect();
  await observer.connect();
  await client.query('CREATE TABLE chat (id bigserial PRIMARY KEY, body jsonb NOT NULL)');
  // A backend publishes its WAL counters at most once a second; force it, then read them elsewhere.
  const walCounters = async () => {
    await client.query('SELECT pg_stat_force_next_flush()');
    await client.query('SELECT 1');
    await new Promise((r) => setTimeout(r, 1200));
    const { rows } = await observer.query<{ syncs: string; records: string }>('SELECT wal_sync AS syncs, wal_records AS records FROM pg_stat_wal');
    return { syncs: Number(rows[0].syncs), records: Number(rows[0].records) };
  };
  const payload = JSON.stringify({ text: 'x'.repeat(400) }); // about a chat message's envelope
  const cases: [string, string, string[]][] = [
    ['NOTIFY (the Socket.IO adapter, the worker\'s emitter)', 'SELECT pg_notify($1, $2)', ['socket.io#/', payload]],
    ['INSERT (a chat message)', 'INSERT INTO chat (body) VALUES ($1)', [payload]],
  ];
  for (const [name, sql, params] of cases) {
    const before = await walCounters();
    const started = performance.now();
    for (let i = 0; i < STATEMENTS; i++) await client.query(sql, params);
    const meanMs = (performance.now() - started) / STATEMENTS;
    const after = await walCounters();
    console.log(`${name}: ${((after.syncs - before.syncs) / STATEMENTS).toFixed(2)} WAL syncs and ${((after.records - before.records) / STATEMENTS).toFixed(2)} WAL records per statement, ${meanMs.toFixed(2)} ms mean`);
  }
} finally {
  await client.end().catch(() => {});
  await observer.end().catch(() => {});
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
