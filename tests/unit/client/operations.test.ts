import { describe, expect, it } from 'vitest';
import { createApp, type Services } from '../../../api/app.js';
import type { ApiContext } from '../../../api/context.js';
import { openApiDocument } from '../../../api/http/openapi.js';
import { operations } from '../../../client/operations.js';

/** Every typed operation of the client is an operation of the API's OpenAPI document: same id, method and path. */
describe('typed client operations', () => {
  it('match the OpenAPI document', () => {
    // As scripts/openapi.ts: build the routes without a database or Temporal.
    const unused = new Proxy({}, { get: (_t, key) => { throw new Error(`ctx.${String(key)} used while only building the routes`); } });
    createApp({
      database: { db: unused }, tokens: unused, temporal: { connection: unused }, io: unused, desk: unused,
      config: { namespace: 'default', taskQueue: 'parley', deskId: 'desk', temporalUiUrl: '' },
    } as unknown as ApiContext, {} as Services);
    const documented = new Map<string, string>();
    for (const [path, item] of Object.entries(openApiDocument().paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, { operationId?: string }>)) {
        if (op?.operationId) documented.set(op.operationId, `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`);
      }
    }
    // Each path parameter as `{name}`, so the filled path reads as the document's template.
    const placeholders = new Proxy({}, { get: (_t, key) => `{${String(key)}}` });
    for (const [operationId, op] of Object.entries(operations)) {
      const path = decodeURIComponent((op.path as (p: unknown) => string)(placeholders)).split('?')[0].replace(/\{[^}]+\}/g, '{}');
      expect(`${op.method} ${path}`, operationId).toBe(documented.get(operationId));
    }
  });
});
