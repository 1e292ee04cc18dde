import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/paths.js';

/**
 * The short fault-injection run (`npm run test:faults -- --short`, docs/faults.md) inside `npm test`.
 * It starts its own stack of processes and SIGKILLs them, so it runs as a child process: its kills
 * and process groups stay out of vitest's worker. FAULTS_SEED=<n> repeats a run; the seed of every
 * run is printed.
 */
function runShort(): Promise<{ code: number | null; output: string }> {
  const args = ['--import', 'tsx', 'tests/faults/run.ts', '--short', ...(process.env.FAULTS_SEED ? ['--seed', process.env.FAULTS_SEED] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    // If vitest gives up on us, the runner must not outlive it (it stops its stack on SIGTERM).
    const stop = () => child.kill('SIGTERM');
    process.once('exit', stop);
    child.once('exit', (code) => { process.off('exit', stop); resolve({ code, output }); });
  });
}

describe('fault injection (short run)', () => {
  it('loses, duplicates and strands nothing while worker, APIs, Temporal and PostgreSQL are SIGKILLed and restarted', async () => {
    const { code, output } = await runShort();
    const summary = output.slice(output.lastIndexOf('faults short run'));
    console.log(summary || output.slice(-4_000));
    expect(code, `fault run failed:\n${output.slice(-8_000)}`).toBe(0);
  }, 15 * 60_000);
});
