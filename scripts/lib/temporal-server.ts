import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { stopChild } from './processes.js';

/**
 * Throughput knobs for the single-process dev server (all keys verified against Temporal
 * Server 1.29 `common/dynamicconfig/constants.go`; a wrongly typed value shows up as a
 * "Failed to convert value" warning on stderr). The default rate limits (2400 RPS,
 * 10 visibility RPS per namespace) throttle load tests and agent-queue listing.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, string | number | boolean> = {
  'frontend.rps': 20_000,
  'frontend.namespaceRPS': 20_000,
  'frontend.namespaceRPS.visibility': 2_000,
  'history.rps': 20_000,
  'matching.rps': 20_000,
  'frontend.persistenceMaxQPS': 20_000,
  'history.persistenceMaxQPS': 45_000,
  'matching.persistenceMaxQPS': 20_000,
  'system.visibilityPersistenceMaxReadQPS': 20_000,
  'system.visibilityPersistenceMaxWriteQPS': 20_000,
  // The CLI's default (true) re-reads the search attributes from SQLite on every use: ten reads per
  // conversation start (bench). Parley's attributes exist before the server serves; attributes added
  // to an existing database are followed by a restart (startTemporalDevServer).
  'system.forceSearchAttributesCacheRefreshOnRead': false,
  // Activities scheduled by a workflow task come back in the task's completion response and start at
  // once, without a round trip through matching and a poller (the dispatcher's publication, enqueue).
  'system.enableActivityEagerExecution': true,
  // The desk is one workflow that every arrival, release and agent action updates: the default of 10
  // updates in flight per workflow turns a burst into RESOURCE_EXHAUSTED retries (docs/routing.md).
  'history.maxInFlightUpdates': 500,
};

/**
 * SQLite pragmas for a file-backed dev server. SQLite's defaults (rollback journal, synchronous=FULL)
 * cost several fsyncs plus a journal file created and deleted per commit, on the server's single
 * connection. Write-ahead logging with synchronous=FULL makes a commit one append and one fsync,
 * equally durable (a commit survives power loss, not only a killed process).
 * `PARLEY_TEMPORAL_SQLITE_PRAGMAS` (`name=value,…`) overrides them for experiments.
 */
export const DEV_SERVER_SQLITE_PRAGMAS: Record<string, string> = {
  journal_mode: 'wal',
  synchronous: 'full',
};

/** `PARLEY_TEMPORAL_DYNAMIC_CONFIG` (a JSON object) is merged over DEV_SERVER_DYNAMIC_CONFIG, for experiments. */
function dynamicConfig(): Record<string, unknown> {
  const override = process.env.PARLEY_TEMPORAL_DYNAMIC_CONFIG;
  if (override === undefined) return DEV_SERVER_DYNAMIC_CONFIG;
  const parsed: unknown = JSON.parse(override);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('PARLEY_TEMPORAL_DYNAMIC_CONFIG: expected a JSON object of dynamic config keys');
  }
  return { ...DEV_SERVER_DYNAMIC_CONFIG, ...parsed };
}

function sqlitePragmas(): Record<string, string> {
  const override = process.env.PARLEY_TEMPORAL_SQLITE_PRAGMAS;
  if (override === undefined) return DEV_SERVER_SQLITE_PRAGMAS;
  return Object.fromEntries(
    override.split(',').filter(Boolean).map((pair) => {
      const [name, value] = pair.split('=');
      if (!name || !value) throw new Error(`PARLEY_TEMPORAL_SQLITE_PRAGMAS: expected name=value, got "${pair}"`);
      return [name.trim(), value.trim()];
    }),
  );
}

export interface TemporalDevServerOptions {
  cliPath: string;
  ip?: string;
  port: number;
  /** null/undefined = headless (no Web UI). */
  uiPort?: number | null;
  /** SQLite file for persistence; omitted = in-memory. */
  dbFile?: string;
  namespace?: string;
  /** Server stdout/stderr are appended here when set. */
  logFile?: string;
  /** Own process group, so a terminal Ctrl-C reaches only the parent, which then stops it in order. */
  detached?: boolean;
  readyTimeoutMs?: number;
}

export interface TemporalDevServer {
  address: string;
  uiUrl: string | null;
  pid: number;
  /** Resolves with how the server process ended ("signal SIGKILL", "exit code 0"), on purpose or not. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

const OUTPUT_HEAD_CHARS = 2_000;
const OUTPUT_TAIL_CHARS = 4_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function toIndexedValueType(type: string) {
  const name = type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() as Parameters<
    typeof encodeSearchAttributeIndexedValueType
  >[0];
  const encoded = encodeSearchAttributeIndexedValueType(name);
  if (encoded === undefined) throw new Error(`Unknown search attribute type ${type}`);
  return encoded;
}

function serverArgs(opts: TemporalDevServerOptions, ip: string, namespace: string): string[] {
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(opts.port), '--log-level', 'warn'];
  args.push(...(opts.uiPort == null ? ['--headless'] : ['--ui-port', String(opts.uiPort)]));
  if (opts.dbFile) {
    args.push('--db-filename', opts.dbFile);
    for (const [name, value] of Object.entries(sqlitePragmas())) args.push('--sqlite-pragma', `${name}=${value}`);
  }
  args.push('--namespace', namespace);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(dynamicConfig())) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}

/**
 * A persistent database keeps the search attributes it was created with, so attributes added to
 * SEARCH_ATTRIBUTES later are registered here; also proves the attributes are queryable. True when
 * it added some: the server's caches learn of them only when refreshed (a minute) or restarted.
 */
async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<boolean> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.entries(SEARCH_ATTRIBUTES).filter(([name]) => !(name in (customAttributes ?? {})));
  if (missing.length === 0) return false;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, toIndexedValueType(type)])),
  });
  const after = await connection.operatorService.listSearchAttributes({ namespace });
  const stillMissing = missing.filter(([name]) => !(name in (after.customAttributes ?? {})));
  if (stillMissing.length > 0) {
    throw new Error(`search attributes not registered: ${stillMissing.map(([n]) => n).join(', ')}`);
  }
  return true;
}

/** Starts `temporal server start-dev` and resolves once it serves requests with Parley's search attributes. */
export async function startTemporalDevServer(opts: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const namespace = opts.namespace ?? 'default';
  const address = `${ip}:${opts.port}`;
  const timeoutMs = opts.readyTimeoutMs ?? 60_000;

  const child = spawn(opts.cliPath, serverArgs(opts, ip, namespace), {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  const log = opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a' }) : null;
  // Keep the head too: a Go panic puts the cause first and a long stack trace after it.
  let head = '';
  let tail = '';
  const collect = (chunk: Buffer) => {
    log?.write(chunk);
    if (head.length < OUTPUT_HEAD_CHARS) head += chunk.toString('utf8').slice(0, OUTPUT_HEAD_CHARS - head.length);
    else tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  let exited: string | null = null;
  let how = 'exited';
  let spawnError: Error | null = null;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
      how = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    });
    child.once('error', (err) => {
      spawnError = err;
      exited = `failed to spawn: ${err.message}`;
      resolve();
    });
  });
  void exitPromise.then(() => log?.end()); // exitPromise only resolves
  const detached = opts.detached ?? false;
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child, exitPromise, { graceMs: 10_000, group: detached });
  };

  const fail = async (reason: string): Promise<never> => {
    await stop();
    const output = tail ? `${head}\n[...]\n${tail}` : head;
    throw new Error(`Temporal dev server at ${address} ${reason}.\n--- server output ---\n${output.trim()}`, {
      cause: spawnError ?? undefined,
    });
  };

  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exited) return fail(exited);
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      if (await ensureSearchAttributes(connection, namespace)) {
        await connection.close().catch(() => {});
        connection = undefined;
        await stop();
        return startTemporalDevServer(opts);
      }
      return {
        address,
        uiUrl: opts.uiPort == null ? null : `http://localhost:${opts.uiPort}`,
        pid: child.pid!,
        exited: exitPromise.then(() => how),
        stop,
      };
    } catch (err) {
      lastError = err;
      await sleep(250);
    } finally {
      await connection?.close().catch(() => {});
    }
  }
  const why = lastError instanceof Error ? lastError.message : String(lastError);
  return fail(`did not become ready within ${timeoutMs / 1000} s (last error: ${why})`);
}
