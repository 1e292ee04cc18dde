/**
 * Per test file: the Temporal SDK logs errors only. Its INFO lines (one per worker start and stop) and
 * WARN dumps (every activity failure a test provokes on purpose, with stacks) buried the run's summary.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // Already installed in this process (a test file that installs its own runtime first).
}
