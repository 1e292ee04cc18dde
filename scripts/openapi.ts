/**
 * Writes the API's OpenAPI document (the one served at GET /api/openapi.json) to a file or stdout,
 * without a database or Temporal: routes register their specs when the app is built, and no request
 * is served. `npm run lint:openapi` lints this file with Redocly.
 *
 *   tsx scripts/openapi.ts [out.json]
 */
import fs from 'node:fs';
import path from 'node:path';
import { createApp, type Services } from '../api/app.js';
import type { ApiContext } from '../api/context.js';
import { openApiDocument } from '../api/http/openapi.js';

const unused = new Proxy({}, { get: (_t, key) => { throw new Error(`scripts/openapi.ts: the app used ctx.${String(key)} while only building its routes`); } });
const ctx = {
  database: { db: unused },
  tokens: unused,
  temporal: { connection: unused }, // readinessService keeps the connection (used only per request)
  io: unused,
  config: { namespace: 'default', taskQueue: 'parley', deskId: 'desk', temporalUiUrl: '' },
} as unknown as ApiContext;
createApp(ctx, {} as Services);

const text = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
const out = process.argv[2];
if (out) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
} else {
  process.stdout.write(text);
}
