/**
 * Per test file: the Temporal SDK logs at WARN. Its INFO lines (worker state changes, one per worker
 * start and stop) made `npm test`'s output so long that the run's summary was lost in CI logs.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process (a test file that installs its own runtime first).
}
