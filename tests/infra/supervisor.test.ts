/**
 * Issue 16 item 8: `npm start` supervises its children. The real `scripts/start.ts` runs here on free
 * ports and a data directory of its own; each child kind (worker, API, Temporal dev server,
 * PostgreSQL) is SIGKILLed in turn and must be started again by the supervisor, after which
 * /api/ready answers 200 and a new visitor gets the bot's menu. Ctrl-C (SIGTERM to the launcher)
 * still stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/paths.js';
import { freePort } from '../../scripts/lib/ports.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

async function until<T>(what: string, ms: number, check: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s${last ? ` (last error: ${(last as Error).toString()})` : ''}`);
    await sleep(300);
  }
}

describe('npm start supervises its children', () => {
  let dir: string;
  let launcher: ChildProcess;
  let launcherExit: Promise<number | null>;
  let base: string;
  const lines: string[] = [];
  /** Latest pid of each supervised child, from the supervisor's "<name> running (pid N)" lines. */
  const pids = new Map<string, number>();
  const allPids = new Set<number>();

  const ready = async () => {
    const res = await fetch(`${base}/api/ready`, { signal: AbortSignal.timeout(5_000) });
    return res.status === 200 ? res.json() : null;
  };

  /** A new visitor's conversation gets the bot's menu: worker, API, Temporal and PostgreSQL all work. */
  async function visitorGetsMenu(label: string): Promise<void> {
    const post = async (p: string, body: unknown, token?: string) => {
      const res = await fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
      return { status: res.status, body: await res.json() };
    };
    const session = await until(`${label}: visitor session`, 60_000, async () => { const r = await post('/api/visitor/session', { displayName: label }); return r.status === 200 && r.body; });
    const conversation = await until(`${label}: conversation start`, 60_000, async () => { const r = await post('/api/visitor/conversations', {}, session.token); return r.status === 200 && r.body; });
    await until(`${label}: the bot's menu`, 60_000, async () => {
      const res = await fetch(`${base}/api/conversations/${conversation.id}/messages`, { headers: { authorization: `Bearer ${session.token}` }, signal: AbortSignal.timeout(5_000) });
      const body = await res.json() as { messages?: Array<{ body: { kind: string } }> };
      return body.messages?.some((m) => m.body.kind === 'menu');
    });
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-supervisor-'));
    fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach data/pg
    const [port, temporalPort, uiPort, pgPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    launcher = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        PORT: String(port), TEMPORAL_PORT: String(temporalPort), TEMPORAL_UI_PORT: String(uiPort), PG_PORT: String(pgPort),
        PARLEY_DATA_DIR: path.join(dir, 'data'), PARLEY_SKIP_WEB_BUILD: '1',
        PARLEY_RESTART_BACKOFF_MS: '200', PARLEY_RESTART_BACKOFF_MAX_MS: '3000', PARLEY_RESTART_RESET_MS: '10000',
        DATABASE_URL: '', TEMPORAL_ADDRESS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcherExit = new Promise((resolve) => launcher.once('exit', (code) => resolve(code)));
    for (const stream of [launcher.stdout!, launcher.stderr!]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        const m = /^\[start\] (\S+) running \(pid (\d+)\)/.exec(line);
        if (m) { pids.set(m[1], Number(m[2])); allPids.add(Number(m[2])); }
      });
    }
    await until('Parley is running', 240_000, async () => lines.some((l) => l.includes('Parley is running')) || (launcher.exitCode !== null ? Promise.reject(new Error(`npm start exited:\n${lines.slice(-30).join('\n')}`)) : false));
    await until('/api/ready 200', 120_000, ready);
  }, 400_000);

  afterAll(async () => {
    if (launcher && launcher.exitCode === null) {
      launcher.kill('SIGTERM');
      await Promise.race([launcherExit, sleep(60_000)]);
    }
    for (const pid of allPids) if (alive(pid)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  for (const child of ['worker', 'api', 'Temporal', 'PostgreSQL']) {
    it(`starts the ${child} again after a SIGKILL, and the desk is ready and serving again`, async () => {
      const before = pids.get(child);
      expect(before, `no "${child} running" line in:\n${lines.join('\n')}`).toBeDefined();
      process.kill(before!, 'SIGKILL');
      await until(`${child} restarted by the supervisor`, 120_000, async () => pids.get(child) !== before);
      expect(lines.some((l) => new RegExp(`^\\[start\\] ${child} exited unexpectedly \\(signal SIGKILL\\)`).test(l)), lines.slice(-20).join('\n')).toBe(true);
      expect(alive(pids.get(child)!)).toBe(true);
      const state = await until(`/api/ready after the ${child} restart`, 120_000, ready);
      expect(state).toEqual({ ready: true, database: 'ok', temporal: 'ok', worker: 'ok', missing: [] });
      await visitorGetsMenu(`after ${child}`);
      expect(launcher.exitCode, 'npm start itself must keep running').toBeNull();
    }, 300_000);
  }

  it('Ctrl-C still stops every child cleanly', async () => {
    const running = [...pids.values()];
    launcher.kill('SIGTERM'); // what the terminal's Ctrl-C becomes for the re-run copy
    expect(await Promise.race([launcherExit, sleep(60_000).then(() => 'timeout')])).toBe(0);
    await until('every child gone', 20_000, async () => running.every((pid) => !alive(pid)));
    expect(lines.some((l) => /exited unexpectedly/.test(l) && lines.indexOf(l) > lines.findIndex((x) => x.includes('[start] stopping...')) && lines.includes('[start] stopping...'))).toBe(false);
  }, 120_000);
});
