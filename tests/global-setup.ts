/**
 * Vitest global setup: one real Temporal dev server, one real PostgreSQL and one workflow bundle
 * for the whole run. Tests read them with `inject(...)` and create their own databases/task queues.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { PROJECT_ROOT } from '../scripts/lib/paths.js';
import { freePort } from '../scripts/lib/ports.js';
import { startEmbeddedPostgres } from '../scripts/lib/postgres.js';
import { ensureTemporalCli } from '../scripts/lib/temporal-cli.js';
import { startTemporalDevServer } from '../scripts/lib/temporal-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the shared Temporal dev server (namespace `default`, Parley search attributes registered). */
    temporalAddress: string;
    /** Admin URL of the `postgres` database on the shared cluster; tests create their own databases. */
    databaseUrl: string;
    /** Path of the prebuilt workflow bundle (`workflowBundle: { codePath }`), '' when workflows/index.ts is missing. */
    workflowBundlePath: string;
  }
}

async function bundleWorkflows(tempDir: string): Promise<string> {
  const workflowsPath = path.join(PROJECT_ROOT, 'workflows', 'index.ts');
  if (!fs.existsSync(workflowsPath)) return '';
  const { bundleWorkflowCode, DefaultLogger } = await import('@temporalio/worker');
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  const bundlePath = path.join(tempDir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);
  return bundlePath;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const id = crypto.randomBytes(6).toString('hex');
  const tempDir = path.join(os.tmpdir(), `parley-test-${id}`); // bundle and server log
  // Not inside tempDir: as root, initdb chowns the data dir to `postgres`, which must reach it.
  const pgDir = path.join(os.tmpdir(), `parley-test-pg-${id}`);
  fs.mkdirSync(tempDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('[global-setup] teardown:', err));
    fs.rmSync(tempDir, { recursive: true, force: true });
    fs.rmSync(pgDir, { recursive: true, force: true });
  };

  // In parallel: the bundle (webpack) is CPU-bound, the servers mostly wait.
  const [temporal, postgres, bundle] = await Promise.allSettled([
    ensureTemporalCli().then(async (cliPath) =>
      startTemporalDevServer({ cliPath, port: await freePort(), logFile: path.join(tempDir, 'temporal.log') }),
    ),
    freePort().then((port) => startEmbeddedPostgres({ dataDir: pgDir, port, database: 'postgres', durable: false })),
    bundleWorkflows(tempDir),
  ]);
  if (temporal.status === 'fulfilled') stops.push(temporal.value.stop);
  if (postgres.status === 'fulfilled') stops.push(postgres.value.stop);
  if (temporal.status === 'rejected' || postgres.status === 'rejected' || bundle.status === 'rejected') {
    await teardown();
    throw [temporal, postgres, bundle].find((r) => r.status === 'rejected')!.reason;
  }
  project.provide('temporalAddress', temporal.value.address);
  project.provide('databaseUrl', postgres.value.url);
  project.provide('workflowBundlePath', bundle.value);
  return teardown;
}
