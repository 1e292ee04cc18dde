import { readEnv } from '../config/env.js';
import { connectDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { backfillReportFactsIfNew } from '../db/reports/facts.js';
import { parseOutboundAllow } from '../domain/outbound.js';
import { logFailure } from './http/errors.js';
import { seedIfEmpty } from './seed.js';
import { createApiServer } from './server.js';

/** Production entry point: `npm run api`. Applies migrations, seeds an empty desk, serves API + web apps. */
const env = readEnv();
// Connections dropped by a PostgreSQL restart are reported once per outage, not once per connection.
const database = connectDatabase(env.DATABASE_URL, 20, {
  onConnectionError: (err) => logFailure('[db] connection error:', err),
  connectTimeoutMs: 10_000, // a hung PostgreSQL answers 503 after this instead of holding requests forever
});
await runMigrations(database.db);
// Issue 21: a desk upgraded with data gets its reporting rows once, in the background (reports show them when done).
void backfillReportFactsIfNew(database.db).then(
  (rows) => { if (rows !== null) console.log(`[reports] filled the reporting projection for ${rows} existing conversation(s)`); },
  (err: unknown) => logFailure('[reports] could not fill the reporting projection (npm run reports:backfill retries):', err),
);
const seeded = await seedIfEmpty(database.db);
if (seeded.length) {
  console.log('\nFirst start: created these accounts (shown once, change the passwords):');
  for (const a of seeded) console.log(`  ${a.role.padEnd(5)}  ${a.email}  ${a.password}`);
  console.log('');
}
const server = await createApiServer({
  database,
  temporalAddress: env.TEMPORAL_ADDRESS,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  deskId: env.PARLEY_DESK_ID,
  temporalUiUrl: env.TEMPORAL_UI_URL,
  secret: env.PARLEY_SECRET,
  rateLimits: { conversationsPerMinute: env.RATE_LIMIT_CONVERSATIONS_PER_MIN, messagesPer10s: env.RATE_LIMIT_MESSAGES_PER_10S,
      staffEventsPer10s: env.RATE_LIMIT_STAFF_EVENTS_PER_10S, signalsPer10s: env.RATE_LIMIT_SIGNALS_PER_10S,
      availabilityReadsPerMinute: env.RATE_LIMIT_AVAILABILITY_PER_MIN },
  socketLimits: { perVisitor: env.SOCKETS_PER_VISITOR, perStaffUser: env.SOCKETS_PER_STAFF_USER },
  deskReconcileMs: env.DESK_RECONCILE_SEC * 1000,
  trustProxy: env.TRUST_PROXY,
  loginThrottle: { failuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT, failuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMs: env.LOGIN_FAILURE_WINDOW_SEC * 1000 },
  frameOrigins: env.VISITOR_FRAME_ORIGINS,
  cookieSecurity: env.COOKIE_SECURE,
  reconcileIntervalMs: env.RECONCILE_INTERVAL_SEC * 1000,
  outbound: parseOutboundAllow(env.PARLEY_OUTBOUND_ALLOW),
  outboundMaxResponseBytes: env.PARLEY_OUTBOUND_MAX_RESPONSE_BYTES,
  temporalCallTimeoutMs: env.TEMPORAL_CALL_TIMEOUT_MS,
  http: { requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS, headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS, keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS },
  readyCacheMs: env.READY_CACHE_MS,
  availability: { replyWindowSec: env.AVAILABILITY_REPLY_WINDOW_DAYS * 86_400, cacheMs: env.AVAILABILITY_CACHE_MS, pollMs: env.AVAILABILITY_POLL_MS },
  transcriptMail: {
    ...(env.SMTP_URL ? { smtpUrl: env.SMTP_URL } : {}), ...(env.SMTP_FROM ? { from: env.SMTP_FROM } : {}), perVisitorPerHour: env.TRANSCRIPT_EMAILS_PER_HOUR,
  },
  files: {
    // Loaded only when used: the AWS SDK is large (and warns about Node 20 when it loads).
    storage: env.FILE_STORAGE === 's3' ? (await import('./files/s3-storage.js')).s3Storage({
      bucket: env.S3_BUCKET, region: env.S3_REGION, forcePathStyle: env.S3_FORCE_PATH_STYLE, prefix: env.S3_KEY_PREFIX,
      ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
      ...(env.S3_ACCESS_KEY_ID ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : {}),
    }) : undefined,
    settings: { maxBytes: env.FILES_MAX_BYTES, allowedTypes: env.FILES_ALLOWED_TYPES, maxImagePixels: env.FILES_MAX_IMAGE_PIXELS },
    linkTtlSec: env.FILE_LINK_TTL_SEC,
  },
});
const port = await server.listen(env.PORT);
console.log(`api listening on http://localhost:${port}`);

const shutdown = async () => {
  await server.close();
  await database.close();
  process.exit(0);
};
// A failed shutdown stays an unhandled rejection, which ends the process with its error.
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
