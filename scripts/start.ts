/**
 * `npm start`: the whole desk from one command — Temporal dev server (+ UI), embedded PostgreSQL,
 * the web build, the worker and the API. Ctrl-C stops everything in reverse order.
 *
 * Environment (defaults in brackets):
 *   PARLEY_DATA_DIR [<project>/data]  temporal.sqlite, pg/, secret, *.log
 *   TEMPORAL_ADDRESS                  use this server instead of starting one
 *   TEMPORAL_NAMESPACE [default]      TEMPORAL_PORT [7233]   TEMPORAL_UI_PORT [8233]
 *   TEMPORAL_UI_URL                   link shown for an external server
 *   DATABASE_URL                      use this database instead of the embedded one
 *   PG_PORT [5433]   PORT [3000] (API)
 *   PARLEY_SECRET                     [generated once into <data>/secret]
 *   PARLEY_RESTART_BACKOFF_MS [500]  PARLEY_RESTART_BACKOFF_MAX_MS [30000]  PARLEY_RESTART_RESET_MS [60000]
 *                                     restart backoff of a child that died (scripts/lib/supervisor.ts)
 *   PARLEY_SKIP_WEB_BUILD=1           do not (re)build the web apps (tests)
 *
 * Every child is supervised: one that dies is logged and started again with backoff; the rest carry on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnPrefixed } from './lib/child-process.js';
import { appNodeArgs, type NodeApp } from './lib/node-flags.js';
import { PROJECT_ROOT } from './lib/paths.js';
import { runInOwnProcessGroup } from './lib/own-process-group.js';
import { assertPortFree } from './lib/ports.js';
import { startEmbeddedPostgres } from './lib/postgres.js';
import { loadOrCreateSecret } from './lib/secret.js';
import { ensureTemporalCli } from './lib/temporal-cli.js';
import { startTemporalDevServer } from './lib/temporal-server.js';
import { DEFAULT_SUPERVISOR_OPTIONS, supervise, type Supervised, type SupervisorOptions } from './lib/supervisor.js';
import { buildWebIfStale } from './lib/web-build.js';

const log = (line: string) => console.log(`[start] ${line}`);

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
}

const readConfig = () => ({
  dataDir: path.resolve(process.env.PARLEY_DATA_DIR || path.join(PROJECT_ROOT, 'data')),
  temporalAddress: process.env.TEMPORAL_ADDRESS || null,
  namespace: process.env.TEMPORAL_NAMESPACE || 'default',
  temporalPort: intEnv('TEMPORAL_PORT', 7233),
  temporalUiPort: intEnv('TEMPORAL_UI_PORT', 8233),
  databaseUrl: process.env.DATABASE_URL || null,
  pgPort: intEnv('PG_PORT', 5433),
  apiPort: intEnv('PORT', 3000),
});

// Stopped in reverse order: api and worker, then PostgreSQL, then Temporal.
const running: Supervised[][] = [];
let shuttingDown = false;

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return; // the first call finishes the job
  shuttingDown = true;
  if (running.length > 0) log('stopping...');
  for (const group of running.reverse()) {
    await Promise.all(group.map((s) => s.stop().catch((err) => console.error(`[start] stopping ${s.name} failed:`, err))));
  }
  if (running.length > 0) log('stopped');
  process.exit(code);
}

/** Restart backoff of the supervised children (env PARLEY_RESTART_BACKOFF_MS, PARLEY_RESTART_BACKOFF_MAX_MS, PARLEY_RESTART_RESET_MS). */
function supervisorOptions(): SupervisorOptions {
  const ms = (name: string, fallback: number) => {
    const raw = process.env[name];
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a number of milliseconds, got "${raw}"`);
    return value;
  };
  return {
    initialBackoffMs: ms('PARLEY_RESTART_BACKOFF_MS', DEFAULT_SUPERVISOR_OPTIONS.initialBackoffMs),
    maxBackoffMs: ms('PARLEY_RESTART_BACKOFF_MAX_MS', DEFAULT_SUPERVISOR_OPTIONS.maxBackoffMs),
    resetAfterMs: ms('PARLEY_RESTART_RESET_MS', DEFAULT_SUPERVISOR_OPTIONS.resetAfterMs),
    log,
  };
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !shuttingDown) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!shuttingDown) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const config = readConfig();
  const supervision = supervisorOptions();
  fs.mkdirSync(config.dataDir, { recursive: true });
  await assertPortFree(config.apiPort, 'API', 'PORT');
  if (!config.temporalAddress) {
    await assertPortFree(config.temporalPort, 'Temporal gRPC', 'TEMPORAL_PORT');
    await assertPortFree(config.temporalUiPort, 'Temporal UI', 'TEMPORAL_UI_PORT');
  }
  if (!config.databaseUrl) await assertPortFree(config.pgPort, 'PostgreSQL', 'PG_PORT');
  const secret = loadOrCreateSecret(config.dataDir);

  // Every child is supervised: one that dies is started again (same port, same data) after a backoff,
  // and the others carry on; the API answers 503 for what is missing meanwhile (docs: README, Supervision).
  let temporalAddress = config.temporalAddress;
  let temporalUiUrl = process.env.TEMPORAL_UI_URL || null;
  if (!temporalAddress) {
    const cliPath = await ensureTemporalCli();
    log(`starting Temporal dev server (${cliPath})...`);
    const options = {
      cliPath,
      port: config.temporalPort,
      uiPort: config.temporalUiPort,
      dbFile: path.join(config.dataDir, 'temporal.sqlite'),
      namespace: config.namespace,
      logFile: path.join(config.dataDir, 'temporal.log'),
      detached: true,
    };
    const first = await startTemporalDevServer(options);
    let firstUsed = false;
    const temporal = supervise('Temporal', async () => {
      const t = firstUsed ? await startTemporalDevServer(options) : first;
      firstUsed = true;
      return { pid: t.pid, exited: t.exited, stop: t.stop };
    }, supervision);
    running.push([temporal]);
    await temporal.firstStart;
    temporalAddress = first.address;
    temporalUiUrl = first.uiUrl;
  }

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    log('starting PostgreSQL...');
    const options = { dataDir: path.join(config.dataDir, 'pg'), port: config.pgPort, logFile: path.join(config.dataDir, 'postgres.log') };
    const first = await startEmbeddedPostgres(options);
    let firstUsed = false;
    const postgres = supervise('PostgreSQL', async () => {
      const pg = firstUsed ? await startEmbeddedPostgres(options) : first;
      firstUsed = true;
      return { pid: pg.pid, exited: pg.exited, stop: pg.stop };
    }, supervision);
    running.push([postgres]);
    await postgres.firstStart;
    databaseUrl = first.url;
  }

  if (process.env.PARLEY_SKIP_WEB_BUILD !== '1') await buildWebIfStale(log);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: config.namespace,
    TEMPORAL_UI_URL: temporalUiUrl ?? `http://localhost:${config.temporalUiPort}`,
    DATABASE_URL: databaseUrl,
    PORT: String(config.apiPort),
    PARLEY_SECRET: secret,
    PARLEY_DATA_DIR: config.dataDir,
  };
  // tsx as a loader in one node process, not `npx tsx` (npm -> tsx -> node): our SIGTERM then
  // reaches the app itself, exactly once.
  const runTs = (app: NodeApp, entry: string) => supervise(app, async () => {
    const c = spawnPrefixed(app, process.execPath, appNodeArgs(app, entry), { cwd: PROJECT_ROOT, env });
    return { pid: c.child.pid ?? null, exited: c.exited, stop: c.stop };
  }, supervision);
  const apps = [runTs('worker', 'worker/main.ts'), runTs('api', 'api/main.ts')];
  running.push(apps);
  await Promise.all(apps.map((a) => a.firstStart));

  await waitForHealth(`http://127.0.0.1:${config.apiPort}/api/health`, 180_000);
  if (shuttingDown) return;
  const base = `http://localhost:${config.apiPort}`;
  console.log(
    [
      '',
      'Parley is running:',
      `  visitor chat      ${base}/`,
      `  agent workbench   ${base}/agent/`,
      `  admin console     ${base}/admin/`,
      `  Temporal UI       ${temporalUiUrl ?? '(external Temporal server; set TEMPORAL_UI_URL to show it)'}`,
      `  data              ${config.dataDir}`,
      `  readiness         ${base}/api/ready`,
      'Press Ctrl-C to stop. A part that stops unexpectedly is started again.',
      '',
    ].join('\n'),
  );
}

if (runInOwnProcessGroup()) {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('disconnect', () => void shutdown(0)); // the launcher is gone
  main().catch((err) => {
    if (shuttingDown) return;
    console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
    void shutdown(1);
  });
}
