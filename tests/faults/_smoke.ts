import { startProcessStack } from '../../scripts/lib/process-stack.js';
const t0 = Date.now();
const lap = (m: string) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s ${m}`);
const stack = await startProcessStack({ apis: 1, workers: 1, log: lap, keepFiles: false });
lap('stack up ' + JSON.stringify(stack.pids));
for (const part of ['worker-0', 'api-0', 'temporal', 'postgres'] as const) {
  const a = Date.now();
  await stack.kill(part);
  lap(`killed ${part}`);
  await stack.restart(part);
  lap(`restarted ${part} in ${Date.now() - a} ms`);
}
await stack.stop();
lap('stopped');
