/**
 * The real Parley stack as separate OS processes, for benchmarks and fault injection:
 * a Temporal dev server (SQLite file, tuned dynamic config), an embedded PostgreSQL, then
 * M workers (`worker/main.ts`) and N APIs (`api/main.ts`), each its own Node process.
 *
 *   const stack = await startProcessStack({ apis: 2, workers: 1 });
 *   await stack.kill('worker-0');          // SIGKILL, like a crash
 *   await stack.restart('worker-0');       // same env (or overrides), waits until it polls again
 *   stack.pids;                            // { temporal: 123, postgres: 456, 'api-0': 789, ... }
 *   await stack.stop();                    // everything, then the temp dir
 *
 * Every part can be killed and restarted on its own: Temporal keeps its SQLite file and port,
 * PostgreSQL its data directory and port, an API its port (clients reconnect to the same URL).
 * Apps run as `node <appNodeArgs(kind, entry)>`, i.e. their flags then `--import tsx <entry>` (what `npx tsx` does, minus the wrapper process), so
 * a pid is the real Node process: SIGKILL reaches it and its RSS is the app's own.
 * Output of each part goes to `<tempDir>/<part>.log`; failures quote the tail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, type Database } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';
import { seedIfEmpty } from '../../api/seed.js';
import { appNodeArgs } from './node-flags.js';
import { PROJECT_ROOT } from './paths.js';
import { freePort } from './ports.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './postgres.js';
import { ensureTemporalCli } from './temporal-cli.js';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-server.js';
import { supervise, type RestartRecord, type Supervised, type SupervisorOptions, type SupervisedRun } from './supervisor.js';

export type PartName = 'temporal' | 'postgres' | `api-${number}` | `worker-${number}`;

export interface AppLaunch {
  /** Extra Node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeArgs?: string[];
  /** Extra/overriding environment, e.g. { WORKER_MAX_CACHED_WORKFLOWS: '500' }. */
  env?: Record<string, string>;
}

export interface ProcessStackOptions {
  apis?: number;
  workers?: number;
  /** Password of the seeded admin@, alice@, bob@parley.local accounts. */
  password?: string;
  secret?: string;
  namespace?: string;
  taskQueue?: string;
  deskId?: string;
  workerMaxCachedWorkflows?: number;
  /** Default for every api-N / worker-N launch; `restart(part, launch)` can override per part. */
  api?: AppLaunch;
  worker?: AppLaunch;
  /** fsync on (default) like a real deployment; false for throwaway speed. */
  durablePostgres?: boolean;
  /** Runs after migrations + seed and before any app starts (settings, flows, extra users). */
  prepare?: (database: Database) => Promise<void>;
  /** Keep the temp dir (logs, SQLite, PostgreSQL data) after stop(). */
  keepFiles?: boolean;
  log?: (line: string) => void;
  /** Per app start; the worker bundles its workflows with webpack first. Default 180 s. */
  readyTimeoutMs?: number;
  /**
   * Run every part under `npm start`'s supervisor (scripts/lib/supervisor.ts): a killed part is started
   * again by the supervisor, not by `restart()`, which then only kills it and waits for that.
   */
  supervise?: SupervisorOptions | boolean;
}

interface AppPart {
  kind: 'api' | 'worker';
  index: number;
  port: number | null;
  child: ChildProcess | null;
  /** Resolves with how the process ended ("signal SIGKILL", "exit code 1"). */
  exited: Promise<string> | null;
  launch: AppLaunch;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Alive and not a zombie (a zombie holds no memory; whether it is reaped soon depends on init). */
function running(pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Direct children of `pid`, read from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]));
  return all;
}

/** Resident set size in MB of a process and its descendants (0 when gone). */
export function treeRssMb(pid: number | null): number {
  if (!pid) return 0;
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

function readFrom(file: string, offset: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - offset));
      fs.readSync(fd, buf, 0, buf.length, offset);
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

function tail(file: string, chars = 3_000): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-chars).trim();
  } catch {
    return '(no log)';
  }
}

export async function startProcessStack(opts: ProcessStackOptions = {}) {
  const log = opts.log ?? (() => {});
  const id = crypto.randomBytes(5).toString('hex');
  // World-traversable: as root, PostgreSQL runs as `postgres` and must reach its data dir inside.
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-stack-${id}-`));
  fs.chmodSync(tempDir, 0o755);
  const pgDir = path.join(tempDir, 'pg');
  const namespace = opts.namespace ?? 'default';
  const taskQueue = opts.taskQueue ?? 'parley';
  const deskId = opts.deskId ?? 'default';
  const password = opts.password ?? 'parley-bench-password';
  const secret = opts.secret ?? crypto.randomBytes(32).toString('hex');
  const readyTimeoutMs = opts.readyTimeoutMs ?? 180_000;
  const logFile = (part: string) => path.join(tempDir, `${part}.log`);

  const cliPath = await ensureTemporalCli();
  const temporalPort = await freePort();
  const pgPort = await freePort();
  let temporal: TemporalDevServer | null = null;
  let postgres: EmbeddedPostgresHandle | null = null;
  const apps = new Map<string, AppPart>();
  let stopping = false;

  const startTemporal = async () => {
    temporal = await startTemporalDevServer({
      cliPath, port: temporalPort, dbFile: path.join(tempDir, 'temporal.sqlite'), namespace,
      logFile: logFile('temporal'), detached: true,
    });
  };
  const startPostgres = async () => {
    postgres = await startEmbeddedPostgres({
      dataDir: pgDir, port: pgPort, logFile: logFile('postgres'), durable: opts.durablePostgres ?? true,
    });
  };
  const postmasterPid = (): number | null => {
    try {
      const pid = Number.parseInt(fs.readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0], 10);
      return alive(pid) ? pid : null;
    } catch {
      return null;
    }
  };

  // Kill everything we started if this process goes away without stop().
  const killAllSync = () => {
    for (const app of apps.values()) if (app.child?.pid) try { process.kill(-app.child.pid, 'SIGKILL'); } catch { /* gone */ }
    if (temporal) try { process.kill(-temporal.pid, 'SIGKILL'); } catch { /* gone */ }
  };
  process.on('exit', killAllSync);

  const envFor = (app: AppPart): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal!.address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PARLEY_DESK_ID: deskId,
    PARLEY_SECRET: secret,
    PORT: String(app.port ?? 0),
    WORKER_MAX_CACHED_WORKFLOWS: String(opts.workerMaxCachedWorkflows ?? 2000),
    // Every simulated visitor comes from 127.0.0.1: lift the per-IP/per-visitor abuse limits (launch env may lower them).
    RATE_LIMIT_CONVERSATIONS_PER_MIN: '1000000',
    RATE_LIMIT_MESSAGES_PER_10S: '1000000',
    RATE_LIMIT_STAFF_EVENTS_PER_10S: '1000000',
    RATE_LIMIT_SIGNALS_PER_10S: '1000000',
    RATE_LIMIT_AVAILABILITY_PER_MIN: '1000000',
    // Many agents sign in at once from 127.0.0.1: attempts still being checked count against the address's budget.
    LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000',
    ...app.launch.env,
  });

  async function startApp(app: AppPart): Promise<void> {
    const name = `${app.kind}-${app.index}`;
    const entry = app.kind === 'api' ? 'api/main.ts' : 'worker/main.ts';
    const out = fs.openSync(logFile(name), 'a');
    fs.writeSync(out, `\n--- ${new Date().toISOString()} starting ${name} ---\n`);
    const logStart = fs.fstatSync(out).size;
    const child = spawn(process.execPath, appNodeArgs(app.kind, entry, app.launch.nodeArgs), {
      cwd: PROJECT_ROOT, env: envFor(app), stdio: ['ignore', out, out], detached: true,
    });
    fs.closeSync(out);
    app.child = child;
    let exitedHow: string | null = null;
    app.exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => { exitedHow = signal ? `signal ${signal}` : `exit code ${code}`; resolve(exitedHow); });
      child.once('error', (err) => { exitedHow = `spawn error: ${err.message}`; resolve(exitedHow); });
    });
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (exitedHow) throw new Error(`${name} exited during start (${String(exitedHow)}):\n${tail(logFile(name))}`);
      if (app.kind === 'api') {
        try {
          const res = await fetch(`http://127.0.0.1:${app.port}/api/health`, { signal: AbortSignal.timeout(2_000) });
          if (res.status === 200) return;
        } catch {
          // not listening yet
        }
      } else if (readFrom(logFile(name), logStart).includes('worker polling task queue')) {
        return;
      }
      await sleep(250);
    }
    throw new Error(`${name} not ready within ${readyTimeoutMs / 1000} s:\n${tail(logFile(name))}`);
  }

  async function killApp(app: AppPart, signal: NodeJS.Signals): Promise<void> {
    const child = app.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (signal === 'SIGKILL') process.kill(-child.pid, 'SIGKILL');
      else child.kill(signal);
    } catch {
      // gone
    }
    const timer = signal === 'SIGKILL' ? null : setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
    await app.exited;
    if (timer) clearTimeout(timer);
  }

  let databaseUrl = '';
  let database: Database | null = null;
  try {
    log('starting Temporal dev server and PostgreSQL...');
    await Promise.all([startTemporal(), startPostgres()]);
    databaseUrl = postgres!.url;
    database = connectDatabase(databaseUrl, 4);
    await runMigrations(database.db);
    await seedIfEmpty(database.db, password);
    if (opts.prepare) await opts.prepare(database);
    await database.close();
    database = null;

    for (let i = 0; i < (opts.workers ?? 1); i++) {
      apps.set(`worker-${i}`, { kind: 'worker', index: i, port: null, child: null, exited: null, launch: opts.worker ?? {} });
    }
    for (let i = 0; i < (opts.apis ?? 1); i++) {
      apps.set(`api-${i}`, { kind: 'api', index: i, port: await freePort(), child: null, exited: null, launch: opts.api ?? {} });
    }
    log(`starting ${opts.workers ?? 1} worker(s) and ${opts.apis ?? 1} API process(es)...`);
    await Promise.all([...apps.values()].map(startApp));
  } catch (err) {
    await database?.close().catch(() => {});
    for (const app of apps.values()) await killApp(app, 'SIGKILL');
    await (postgres as EmbeddedPostgresHandle | null)?.stop().catch(() => {});
    await (temporal as TemporalDevServer | null)?.stop().catch(() => {});
    process.off('exit', killAllSync);
    if (!opts.keepFiles) fs.rmSync(tempDir, { recursive: true, force: true });
    throw err;
  }

  // Supervised: each part as `npm start` runs it. The parts already run; a supervisor's later starts
  // use the same start functions (same port, same data).
  const supervisors = new Map<string, Supervised>();
  if (opts.supervise) {
    const supervisorOptions: SupervisorOptions = { ...(typeof opts.supervise === 'object' ? opts.supervise : {}), log: (line) => log(`supervisor: ${line}`) };
    const underSupervisor = (name: string, startPart: () => Promise<void>, run: () => SupervisedRun) => {
      let first = true;
      supervisors.set(name, supervise(name, async () => {
        if (!first) await startPart();
        first = false;
        return run();
      }, supervisorOptions));
    };
    underSupervisor('temporal', startTemporal, () => {
      const t = temporal!;
      return { pid: t.pid, exited: t.exited, stop: t.stop };
    });
    underSupervisor('postgres', startPostgres, () => {
      const p = postgres!;
      return { pid: p.pid, exited: p.exited, stop: p.stop };
    });
    for (const [name, app] of apps) {
      underSupervisor(name, async () => {
        try {
          await startApp(app);
        } catch (err) {
          await killApp(app, 'SIGKILL'); // not ready in time: do not leave it behind
          throw err;
        }
      }, () => ({ pid: app.child?.pid ?? null, exited: app.exited!, stop: () => killApp(app, 'SIGTERM') }));
    }
    await Promise.all([...supervisors.values()].map((sv) => sv.firstStart));
  }
  const supervisorOf = (part: string): Supervised => {
    const sv = supervisors.get(part);
    if (!sv) throw new Error(`${part} is not supervised (startProcessStack({ supervise }))`);
    return sv;
  };

  const appOf = (part: string): AppPart => {
    const app = apps.get(part);
    if (!app) throw new Error(`unknown part "${part}"; parts: ${['temporal', 'postgres', ...apps.keys()].join(', ')}`);
    return app;
  };

  const stack = {
    tempDir,
    databaseUrl,
    temporalAddress: temporal!.address,
    namespace,
    taskQueue,
    deskId,
    password,
    secret,
    /** http://127.0.0.1:<port> of each API process, in index order. */
    apiUrls: [...apps.values()].filter((a) => a.kind === 'api').map((a) => `http://127.0.0.1:${a.port}`),
    parts: (): PartName[] => ['temporal', 'postgres', ...(apps.keys() as Iterable<PartName>)],
    logFile,

    /** Current OS pid of each part, null while it is down. */
    get pids(): Record<string, number | null> {
      const out: Record<string, number | null> = {
        temporal: temporal && alive(temporal.pid) ? temporal.pid : null,
        postgres: postmasterPid(),
      };
      for (const [name, app] of apps) out[name] = app.child && app.child.exitCode === null && app.child.signalCode === null ? app.child.pid ?? null : null;
      return out;
    },

    /** RSS in MB of a part (PostgreSQL: postmaster plus backends). */
    rssMb(part: PartName): number {
      return treeRssMb(stack.pids[part]);
    },

    /** Hard-kills one part (default SIGKILL, no shutdown hooks) and waits until it is gone. */
    async kill(part: PartName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
      if (part === 'temporal') {
        const t = temporal;
        if (!t) return;
        if (signal === 'SIGKILL') {
          try { process.kill(-t.pid, 'SIGKILL'); } catch { /* gone */ }
        }
        await t.stop(); // after SIGKILL this only reaps it
        temporal = null;
      } else if (part === 'postgres') {
        const pid = postmasterPid();
        if (pid && signal === 'SIGKILL') {
          // Frozen first, so it cannot fork a backend after the snapshot below: an orphaned backend keeps
          // the shared memory block, and the restart then fails ("pre-existing shared memory block").
          try { process.kill(pid, 'SIGSTOP'); } catch { /* gone */ }
          const tree = processTree(pid);
          for (const p of tree) try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
          while (tree.some(running)) await sleep(20);
        }
        await postgres?.stop();
        postgres = null;
      } else {
        await killApp(appOf(part), signal);
      }
    },

    /** Whether the parts run under the supervisor. */
    supervised: supervisors.size > 0,

    /**
     * Supervised stacks: SIGKILLs a part and resolves once the supervisor has it serving again, not
     * before `holdMs` (a longer outage).
     */
    async crash(part: PartName, holdMs = 0): Promise<RestartRecord> {
      const sv = supervisorOf(part);
      if (holdMs > 0) sv.holdNextStart(holdMs);
      const back = sv.nextRestart();
      await stack.kill(part, 'SIGKILL');
      return back;
    },

    /** Supervised stacks: called after every restart the supervisor made (expected or not). */
    onRestart(listener: (r: RestartRecord) => void): void {
      for (const sv of supervisors.values()) sv.onRestart(listener);
    },

    /**
     * Starts a part again (killing it first if it still runs), on the same port and data, and waits
     * until it serves. `launch` replaces the app's node flags/env overrides from now on.
     * Supervised stacks: kills it and waits for the supervisor to start it again.
     */
    async restart(part: PartName, launch?: AppLaunch): Promise<void> {
      if (supervisors.size > 0) {
        if (launch) appOf(part).launch = launch;
        await stack.crash(part);
        return;
      }
      if (part === 'temporal') {
        await stack.kill('temporal');
        await startTemporal();
      } else if (part === 'postgres') {
        await stack.kill('postgres');
        await startPostgres();
      } else {
        const app = appOf(part);
        await killApp(app, 'SIGTERM');
        if (launch) app.launch = launch;
        await startApp(app);
      }
    },

    /** Graceful stop of everything (apps, then PostgreSQL, then Temporal); removes the temp dir unless keepFiles. */
    async stop(): Promise<void> {
      if (stopping) return;
      stopping = true;
      // Supervisors first (apps, then PostgreSQL, then Temporal), so nothing is started again meanwhile.
      await Promise.all([...apps.keys()].map(async (name) => { await supervisors.get(name)?.stop(); }));
      await supervisors.get('postgres')?.stop().catch((err) => log(`stopping PostgreSQL: ${err}`));
      await supervisors.get('temporal')?.stop().catch((err) => log(`stopping Temporal: ${err}`));
      await Promise.all([...apps.values()].map((a) => killApp(a, 'SIGTERM')));
      await postgres?.stop().catch((err) => log(`stopping PostgreSQL: ${err}`));
      await temporal?.stop().catch((err) => log(`stopping Temporal: ${err}`));
      process.off('exit', killAllSync);
      if (!opts.keepFiles) fs.rmSync(tempDir, { recursive: true, force: true });
    },
  };
  return stack;
}
export type ProcessStack = Awaited<ReturnType<typeof startProcessStack>>;
