/** `npm run setup`: makes sure the Temporal CLI is available (installing it into .tools/bin if needed). */
import { ensureTemporalCli } from './lib/temporal-cli.js';

try {
  const cli = await ensureTemporalCli();
  console.log(`Temporal CLI: ${cli}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
