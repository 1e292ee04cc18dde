/**
 * Counters read around each measurement, to explain the figures: PostgreSQL transactions and
 * rows (pg_stat_database) and the Temporal server's own Prometheus metrics (persistence requests
 * and latency per operation, frontend requests per API) — the dev server prints its metrics URL.
 */
import fs from 'node:fs';
import pg from 'pg';

type Counters = Record<string, number>;

function parsePrometheus(text: string, wanted: RegExp): Counters {
  const out: Counters = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+([-+\deE.]+|NaN)$/.exec(line);
    if (!m || !wanted.test(m[1])) continue;
    const labels = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    const op = labels.operation ?? '';
    const key = op ? `${m[1]}:${op}` : m[1];
    out[key] = (out[key] ?? 0) + Number(m[4]);
  }
  return out;
}

export class Probes {
  private client: pg.Client | null = null;
  constructor(private readonly databaseUrl: string, private readonly temporalLogFile: string) {}

  private metricsUrl(): string | null {
    try {
      return /Metrics:\s+(\S+)/.exec(fs.readFileSync(this.temporalLogFile, 'utf8'))?.[1] ?? null;
    } catch {
      return null;
    }
  }

  async snapshot(): Promise<Counters> {
    const out: Counters = {};
    try {
      if (!this.client) {
        this.client = new pg.Client({ connectionString: this.databaseUrl });
        await this.client.connect();
      }
      const { rows } = await this.client.query(`SELECT xact_commit, tup_inserted, tup_updated, tup_returned, tup_fetched
        FROM pg_stat_database WHERE datname = current_database()`);
      for (const [k, v] of Object.entries(rows[0] ?? {})) out[`pg:${k}`] = Number(v);
      // The whole cluster's WAL (each backend publishes its counters within about a second).
      const wal = await this.client.query('SELECT wal_records, wal_fpi, wal_bytes, wal_sync FROM pg_stat_wal');
      for (const [k, v] of Object.entries(wal.rows[0] ?? {})) out[`pg:${k}`] = Number(v);
    } catch {
      this.client = null;
    }
    const url = this.metricsUrl();
    if (url) {
      try {
        const text = await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text();
        Object.assign(out, parsePrometheus(text, /^(persistence_requests|persistence_latency_(sum|count)|visibility_persistence_requests|service_requests)$/));
      } catch {
        // metrics are a nice-to-have
      }
    }
    return out;
  }

  /** Per-operation figures between two snapshots: `ops` is the number of benchmark operations in between. */
  static perOp(before: Counters, after: Counters, ops: number) {
    const d = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    const per = (x: number) => Math.round((x / Math.max(ops, 1)) * 10) / 10;
    const byPrefix = (prefix: string, top = 8) => Object.fromEntries(
      Object.keys(after).filter((k) => k.startsWith(`${prefix}:`)).map((k) => [k.slice(prefix.length + 1), per(d(k))] as const)
        .filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).slice(0, top),
    );
    const persistSum = Object.keys(after).filter((k) => k.startsWith('persistence_latency_sum')).reduce((n, k) => n + d(k), 0);
    const persistCount = Object.keys(after).filter((k) => k.startsWith('persistence_latency_count')).reduce((n, k) => n + d(k), 0);
    const sumPrefix = (prefix: string) => Object.keys(after).filter((k) => k.startsWith(prefix)).reduce((n, k) => n + d(k), 0);
    return {
      pgTransactions: per(d('pg:xact_commit')),
      pgRowsInserted: per(d('pg:tup_inserted')),
      pgRowsUpdated: per(d('pg:tup_updated')),
      /** WAL flushes, records, full-page images and bytes per operation (pg_stat_wal). */
      pgWal: { syncs: per(d('pg:wal_sync')), records: per(d('pg:wal_records')), fullPageImages: per(d('pg:wal_fpi')), kB: per(d('pg:wal_bytes') / 1024) },
      temporalPersistenceRequests: per(sumPrefix('persistence_requests')),
      temporalPersistenceMeanMs: persistCount ? Math.round((persistSum / persistCount) * 1000 * 100) / 100 : null,
      temporalVisibilityRequests: per(sumPrefix('visibility_persistence_requests')),
      temporalPersistenceByOp: byPrefix('persistence_requests'),
      temporalFrontendByApi: byPrefix('service_requests'),
    };
  }

  async close(): Promise<void> {
    await this.client?.end().catch(() => {});
  }
}

/**
 * Responsiveness of each part while a measurement runs: every `everyMs`, one trivial request to
 * PostgreSQL (`SELECT 1` on its own connection), to the API (GET /api/config: no database, no
 * Temporal — the API's event loop and HTTP stack) and to the Temporal frontend (GetSystemInfo).
 */
export class LatencySampler {
  private timer: NodeJS.Timeout | null = null;
  private readonly samples: Record<string, number[]> = { postgres: [], api: [], temporal: [] };
  private pgClient: pg.Client | null = null;
  private temporalConn: { workflowService: { getSystemInfo(req: object): Promise<unknown> }; close(): Promise<void> } | null = null;

  constructor(private readonly opts: { databaseUrl: string; apiUrl: string; temporalAddress: string; everyMs?: number }) {}

  async start(): Promise<void> {
    this.pgClient = new pg.Client({ connectionString: this.opts.databaseUrl });
    await this.pgClient.connect();
    const { Connection } = await import('@temporalio/client');
    this.temporalConn = await Connection.connect({ address: this.opts.temporalAddress });
    const time = async (key: string, fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      try {
        await fn();
        this.samples[key].push(performance.now() - t0);
      } catch {
        this.samples[key].push(Number.NaN);
      }
    };
    let busy = false;
    this.timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void Promise.all([
        time('postgres', () => this.pgClient!.query('SELECT 1')),
        time('api', () => fetch(`${this.opts.apiUrl}/api/config`).then((r) => r.text())),
        time('temporal', () => this.temporalConn!.workflowService.getSystemInfo({})),
      ]).finally(() => { busy = false; });
    }, this.opts.everyMs ?? 250);
  }

  async stop(): Promise<Record<string, { n: number; p50: number; p99: number; max: number }>> {
    if (this.timer) clearInterval(this.timer);
    await this.pgClient?.end().catch(() => {});
    await this.temporalConn?.close().catch(() => {});
    const out: Record<string, { n: number; p50: number; p99: number; max: number }> = {};
    for (const [k, list] of Object.entries(this.samples)) {
      const ok = list.filter(Number.isFinite).sort((a, b) => a - b);
      const at = (p: number) => (ok.length ? Math.round(ok[Math.min(ok.length - 1, Math.ceil((p / 100) * ok.length) - 1)] * 10) / 10 : Number.NaN);
      out[k] = { n: ok.length, p50: at(50), p99: at(99), max: ok.length ? Math.round(ok[ok.length - 1] * 10) / 10 : Number.NaN };
    }
    return out;
  }
}
