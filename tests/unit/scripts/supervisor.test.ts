/** The supervisor's restart policy, with fake children (the real processes: tests/infra/supervisor.test.ts). */
import { describe, expect, it } from 'vitest';
import { supervise, type SupervisedRun } from '../../../scripts/lib/supervisor.js';

/** A fake child: `die()` makes it exit as a crash; `stop()` as asked. */
function fakeChildren() {
  const runs: Array<SupervisedRun & { die(how?: string): void; startedAt: number }> = [];
  let failNext = 0;
  return {
    runs,
    failNextStarts(n: number) { failNext = n; },
    async start(): Promise<SupervisedRun> {
      if (failNext > 0) { failNext--; throw new Error('port in use'); }
      let exit!: (how: string) => void;
      const exited = new Promise<string>((r) => { exit = r; });
      const run = { pid: 1000 + runs.length, exited, startedAt: Date.now(), die: (how = 'signal SIGKILL') => exit(how), stop: async () => exit('exit code 0') };
      runs.push(run);
      return run;
    },
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('supervisor', () => {
  it('restarts a child that dies, with a backoff that doubles up to the cap and starts over after a healthy period', async () => {
    const kids = fakeChildren();
    const lines: string[] = [];
    const sv = supervise('worker', () => kids.start(), { initialBackoffMs: 50, maxBackoffMs: 400, resetAfterMs: 600, log: (l) => lines.push(l) });
    await sv.firstStart;
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const back = sv.nextRestart();
      const diedAt = Date.now();
      kids.runs.at(-1)!.die();
      await back;
      gaps.push(Date.now() - diedAt);
    }
    // 50, 100, 200, 400, 400 (capped)
    for (const [i, expected] of [50, 100, 200, 400, 400].entries()) expect(gaps[i], `restart ${i + 1}: ${gaps.join(', ')}`).toBeGreaterThanOrEqual(expected - 5);
    expect(gaps[4]).toBeLessThan(800);
    await sleep(650); // healthy for longer than resetAfterMs
    const back = sv.nextRestart();
    const diedAt = Date.now();
    kids.runs.at(-1)!.die();
    await back;
    expect(Date.now() - diedAt, 'quick again after a healthy period').toBeLessThan(300);
    expect(sv.restarts.map((r) => r.how)).toEqual(Array(6).fill('signal SIGKILL'));
    expect(lines.filter((l) => /exited unexpectedly \(signal SIGKILL\)/.test(l))).toHaveLength(6);
    expect(sv.pid).toBe(kids.runs.at(-1)!.pid);
    await sv.stop();
  });

  it('keeps trying when a restart fails, and stop() ends supervision without another start', async () => {
    const kids = fakeChildren();
    const lines: string[] = [];
    const sv = supervise('api', () => kids.start(), { initialBackoffMs: 20, maxBackoffMs: 40, resetAfterMs: 10_000, log: (l) => lines.push(l) });
    await sv.firstStart;
    kids.failNextStarts(2);
    const back = sv.nextRestart();
    kids.runs[0].die('exit code 1');
    await back;
    expect(lines.filter((l) => /api failed to start: port in use/.test(l))).toHaveLength(2);
    expect(kids.runs).toHaveLength(2);
    await sv.stop();
    await sleep(100);
    expect(kids.runs).toHaveLength(2); // a stopped child is not started again
    expect(sv.running).toBe(false);
  });

  it('rejects firstStart when the very first start fails (a configuration error ends npm start)', async () => {
    const kids = fakeChildren();
    kids.failNextStarts(1);
    const sv = supervise('postgres', () => kids.start(), { log: () => undefined });
    await expect(sv.firstStart).rejects.toThrow('port in use');
    await sv.stop();
  });

  it('holds the next restart for a requested time', async () => {
    const kids = fakeChildren();
    const sv = supervise('temporal', () => kids.start(), { initialBackoffMs: 10, log: () => undefined });
    await sv.firstStart;
    sv.holdNextStart(200);
    const back = sv.nextRestart();
    const t0 = Date.now();
    kids.runs[0].die();
    await back;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    await sv.stop();
  });
});
