import type pg from 'pg';

/** Transport scratch space of the Socket.IO Postgres adapter, not application data. */
const IGNORED = new Set(['socket_io_attachments']);

export type Snapshot = Record<string, { rows: number; digest: string }>;

/**
 * Row count and a content digest of every table in the public schema (found at run time, so tables
 * other engineers add are covered): comparing two snapshots catches inserts, updates and deletes.
 */
export async function snapshot(pool: pg.Pool): Promise<Snapshot> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const names = tables.map((t) => t.name).filter((n) => !IGNORED.has(n));
  const sql = names.map((n, i) =>
    `select $${i + 1}::text as name, count(*)::int as rows, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as digest from public."${n.replace(/"/g, '""')}" t`,
  ).join(' union all ');
  const { rows } = await pool.query<{ name: string; rows: number; digest: string }>(sql, names);
  return Object.fromEntries(rows.map((r) => [r.name, { rows: r.rows, digest: r.digest }]));
}

/** Human-readable list of what changed between two snapshots ('' when nothing did). */
export function diff(before: Snapshot, after: Snapshot): string {
  const out: string[] = [];
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[name];
    const b = after[name];
    if (!a || !b) out.push(`${name}: table ${a ? 'dropped' : 'created'}`);
    else if (a.rows !== b.rows) out.push(`${name}: ${a.rows} → ${b.rows} rows`);
    else if (a.digest !== b.digest) out.push(`${name}: rows changed`);
  }
  return out.join('; ');
}

/** Waits until two snapshots `quietMs` apart are equal (background workflow writes have settled). */
export async function settled(pool: pg.Pool, quietMs = 400, timeoutMs = 20_000): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMs;
  let last = await snapshot(pool);
  for (;;) {
    await new Promise((r) => setTimeout(r, quietMs));
    const next = await snapshot(pool);
    const changed = diff(last, next);
    if (!changed) return next;
    if (Date.now() > deadline) throw new Error(`database never settled: ${changed}`);
    last = next;
  }
}
