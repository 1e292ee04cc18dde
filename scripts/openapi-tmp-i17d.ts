import fs from 'node:fs';
import { createApp, type Services } from '../api/app.js';
import type { ApiContext } from '../api/context.js';
import { openApiDocument } from '../api/http/openapi.js';
const anything: any = new Proxy(function () {}, { get: () => anything, apply: () => anything });
const ctx = { database: { db: anything, pool: anything }, tokens: anything, temporal: anything, io: anything,
  config: { namespace: 'default', taskQueue: 'parley', deskId: 'desk', temporalUiUrl: '' } } as unknown as ApiContext;
createApp(ctx, {} as Services);
fs.writeFileSync(process.argv[2]!, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
