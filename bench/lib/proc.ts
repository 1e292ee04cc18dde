/** Helper processes (relay, echo worker) and per-process CPU accounting from /proc (Linux). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { appNodeArgs, type NodeApp } from '../../scripts/lib/node-flags.js';
import { treeRssMb } from '../../scripts/lib/process-stack.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLK_TCK = 100;

export interface Service { pid: number; match: RegExpMatchArray; stop(): Promise<void> }

/**
 * Runs `script` with tsx, launched like `like` (its Node flags: a floor runs as the app it stands for),
 * and resolves once a stdout line matches `ready`.
 */
export function startService(script: string, like: NodeApp, env: Record<string, string>, ready: RegExp, logFile: string,
    timeoutMs = 120_000): Promise<Service> {
  const child = spawn(process.execPath, appNodeArgs(like, script), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  child.stderr.pipe(log);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.on('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script} not ready in ${timeoutMs} ms (log: ${logFile})`)); }, timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${script} exited with ${code} (log: ${logFile})`)); });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      log.write(`${line}\n`);
      const match = line.match(ready);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        pid: child.pid!,
        match,
        async stop() {
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(t);
          log.end();
        },
      });
    });
  });
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch { /* gone */ }
  }
  return out;
}

/** CPU seconds (user + system) used so far by a process and its live descendants. */
export function cpuSeconds(pid: number | null): number {
  if (!pid) return 0;
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]));
  let ticks = 0;
  for (const p of all) {
    try {
      const fields = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const rest = fields.slice(fields.lastIndexOf(')') + 2).split(' ');
      ticks += Number(rest[11]) + Number(rest[12]); // utime, stime (fields 14, 15)
    } catch { /* gone */ }
  }
  return ticks / CLK_TCK;
}

/**
 * The whole machine's CPU seconds so far (all cores), from /proc/stat: `busy` (idle and iowait are not)
 * and `steal`, the part of busy the hypervisor gave to other guests while this VM wanted to run.
 */
function machineCpuSeconds(): { busy: number; steal: number } {
  const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return { busy: (user + nice + system + irq + softirq + steal) / CLK_TCK, steal: steal / CLK_TCK };
}

/** Machine busy % (100 = one core) over `ms`, to see whether something else is loading the machine. */
export async function machineBusyPercent(ms: number): Promise<number> {
  const a = machineCpuSeconds().busy;
  await new Promise((r) => setTimeout(r, ms));
  return Math.round(((machineCpuSeconds().busy - a) / (ms / 1000)) * 100);
}

/**
 * Measures each named process's CPU use over a window, as % of one core (200 = both cores of a
 * 2-core machine), plus `total` (ours), `machine` (everything) and `foreign` (machine − ours:
 * processes that are not part of this benchmark and disturb it, and `steal`, which is part of it:
 * CPU the host gave to other guests while this VM wanted it).
 */
export class CpuMeter {
  private start = new Map<string, number>();
  private t0 = 0;
  private machine0 = { busy: 0, steal: 0 };
  /** Wall-clock length of the last begin() → end() window. */
  wallSeconds = 0;
  constructor(private readonly pids: () => Record<string, number | null>) {}
  begin(): void {
    this.t0 = performance.now();
    this.machine0 = machineCpuSeconds();
    this.start = new Map(Object.entries(this.pids()).map(([k, pid]) => [k, cpuSeconds(pid)]));
  }
  end(): Record<string, number> {
    const wall = (performance.now() - this.t0) / 1000;
    this.wallSeconds = wall;
    const out: Record<string, number> = {};
    let total = 0;
    for (const [k, pid] of Object.entries(this.pids())) {
      const used = Math.max(0, cpuSeconds(pid) - (this.start.get(k) ?? 0));
      out[k] = Math.round((used / wall) * 100);
      total += used;
    }
    out.total = Math.round((total / wall) * 100);
    const machine = machineCpuSeconds();
    out.machine = Math.round(((machine.busy - this.machine0.busy) / wall) * 100);
    out.foreign = Math.max(0, out.machine - out.total);
    out.steal = Math.round(((machine.steal - this.machine0.steal) / wall) * 100);
    return out;
  }
}

/** CPU milliseconds per operation for each process, from a CpuMeter window (percent of one core × seconds). */
export function cpuMsPerOp(percent: Record<string, number>, wallSeconds: number, ops: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(percent)) {
    if (k === 'machine' || k === 'foreign' || k === 'steal' || v === 0) continue;
    out[k] = Math.round(((v / 100) * wallSeconds * 1000 / Math.max(ops, 1)) * 10) / 10;
  }
  return out;
}

export { treeRssMb };
