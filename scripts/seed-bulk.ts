/**
 * `npm run seed:bulk`: fills a Parley database with a generated desk's history (issue 21): by default
 * 1,000,000 conversations and ~10,000,000 messages over the last 90 days, with business-hours arrivals,
 * channels, teams, 40 agents with their shifts, queue waits, abandons, left messages, transfers, ratings
 * with comments (English and Chinese), tags. What is drawn and how: scripts/lib/bulk-plan.ts; the SQL:
 * scripts/lib/bulk-seed.ts. The staff it adds sign in as bulk-admin@bulk.parley.local /
 * bulk-agent-NNN@bulk.parley.local with --password (default bulk-password-1234).
 *
 *   npm run seed:bulk -- [--conversations N] [--messages-per-conversation N] [--days N] [--seed N]
 *                        [--agents N] [--tz Area/City] [--password P] [--replace]
 *
 * Database: DATABASE_URL, or the embedded PostgreSQL of `npm start` (PARLEY_DATA_DIR [data]/pg on PG_PORT
 * [5433]), started here for the run (stop `npm start` first). A second run is refused unless --replace.
 */
import path from 'node:path';
import { BULK_USAGE, parseBulkArgs } from './lib/bulk-plan.js';
import { generateBulkData } from './lib/bulk-seed.js';
import { PROJECT_ROOT } from './lib/paths.js';
import { assertPortFree } from './lib/ports.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './lib/postgres.js';

const log = (line: string) => console.log(`[seed:bulk ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(`usage: ${BULK_USAGE}`);
    return;
  }
  const options = parseBulkArgs(process.argv.slice(2));
  let embedded: EmbeddedPostgresHandle | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    const port = Number(process.env.PG_PORT ?? 5433);
    await assertPortFree(port, 'PostgreSQL', 'PG_PORT');
    const dataDir = path.join(path.resolve(process.env.PARLEY_DATA_DIR || path.join(PROJECT_ROOT, 'data')), 'pg');
    log(`starting the embedded PostgreSQL (${dataDir}, port ${port})`);
    embedded = await startEmbeddedPostgres({ dataDir, port });
    url = embedded.url;
  }
  try {
    log(`generating ${options.conversations} conversations over ${options.days} days (seed ${options.seed}, ${options.agents} agents, ${options.tz})`);
    const r = await generateBulkData(url, options, log);
    log(`done in ${r.seconds} s: ${r.conversations} conversations, ${r.messages} messages, ${r.visitors} visitors; database ${(r.databaseBytes / 2 ** 30).toFixed(2)} GB; report facts ${r.reportFacts}`);
  } finally {
    await embedded?.stop();
  }
}

main().catch((err) => {
  console.error(`seed:bulk: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
