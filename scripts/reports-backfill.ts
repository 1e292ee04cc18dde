import { readEnv } from '../config/env.js';
import { connectDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { backfillReportFacts } from '../db/reports/facts.js';

/** `npm run reports:backfill`: (re)derives the reporting projection of every conversation from the raw tables (docs/metrics.md). */
const env = readEnv();
const database = connectDatabase(env.DATABASE_URL);
try {
  await runMigrations(database.db);
  const started = Date.now();
  const rows = await backfillReportFacts(database.db);
  console.log(`[reports] ${rows} conversation(s) in the reporting projection (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} finally {
  await database.close();
}
