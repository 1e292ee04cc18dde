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
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnPrefixed, type ManagedChild } from './lib/child-process.js';
import { appNodeArgs, type NodeApp } from './lib/node-flags.js';
import { PROJECT_ROOT } from './lib/paths.js';
import { runInOwnProcessGroup } from './lib/own-process-group.js';
import { assertPortFree } from './lib/ports.js';
import { startEmbeddedPostgres } from './lib/postgres.js';
import { loadOrCreateSecret } from './lib/secret.js';
import { ensureTemporalCli } from './lib/temporal-cli.js';
import { startTemporalDevServer } from './lib/temporal-server.js';
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

// Stopped in reverse order: api+worker, then PostgreSQL, then Temporal.
const running: Array<{ name: string; stop: () => Promise<void> }> = [];
let shuttingDown = false;

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return; // the first call finishes the job
  shuttingDown = true;
  if (running.length > 0) log('stopping...');
  for (const { name, stop } of running.reverse()) {
    await stop().catch((err) => console.error(`[start] stopping ${name} failed:`, err));
  }
  if (running.length > 0) log('stopped');
  process.exit(code);
}

async function waitForHealth(url: string, children: ManagedChild[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !shuttingDown) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (children.some((c) => c.child.exitCode !== null || c.child.signalCode !== null)) return; // exit handler reports it
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!shuttingDown) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const config = readConfig();
  fs.mkdirSync(config.dataDir, { recursive: true });
  await assertPortFree(config.apiPort, 'API', 'PORT');
  if (!config.temporalAddress) {
    await assertPortFree(config.temporalPort, 'Temporal gRPC', 'TEMPORAL_PORT');
    await assertPortFree(config.temporalUiPort, 'Temporal UI', 'TEMPORAL_UI_PORT');
  }
  if (!config.databaseUrl) await assertPortFree(config.pgPort, 'PostgreSQL', 'PG_PORT');
  const secret = loadOrCreateSecret(config.dataDir);

  let temporalAddress = config.temporalAddress;
  let temporalUiUrl = process.env.TEMPORAL_UI_URL || null;
  if (!temporalAddress) {
    const cliPath = await ensureTemporalCli();
    log(`starting Temporal dev server (${cliPath})...`);
    const temporal = await startTemporalDevServer({
      cliPath,
      port: config.temporalPort,
      uiPort: config.temporalUiPort,
      dbFile: path.join(config.dataDir, 'temporal.sqlite'),
      namespace: config.namespace,
      logFile: path.join(config.dataDir, 'temporal.log'),
      detached: true,
    });
    running.push({ name: 'Temporal', stop: temporal.stop });
    temporalAddress = temporal.address;
    temporalUiUrl = temporal.uiUrl;
  }

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    log('starting PostgreSQL...');
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'pg'),
      port: config.pgPort,
      logFile: path.join(config.dataDir, 'postgres.log'),
    });
    running.push({ name: 'PostgreSQL', stop: postgres.stop });
    databaseUrl = postgres.url;
  }

  await buildWebIfStale(log);

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
  const runTs = (app: NodeApp, entry: string) => spawnPrefixed(app, process.execPath, appNodeArgs(app, entry), { cwd: PROJECT_ROOT, env });
  const children = [runTs('worker', 'worker/main.ts'), runTs('api', 'api/main.ts')];
  running.push({ name: 'api and worker', stop: async () => void (await Promise.all(children.map((c) => c.stop()))) });
  for (const c of children) {
    void c.exited.then((how) => {
      if (shuttingDown) return;
      console.error(`[start] ${c.name} stopped unexpectedly (${how}); shutting everything down`);
      void shutdown(1);
    });
  }

  await waitForHealth(`http://127.0.0.1:${config.apiPort}/api/health`, children, 180_000);
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
      'Press Ctrl-C to stop.',
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
