/**
 * Bulk conversation starter for the memory phase: creates visitors and starts their conversations
 * with Parley's own conversation service (api/services/conversations.ts `start`: the same row, the
 * same workflow input, search attributes and memo as POST /api/visitor/conversations), but in this
 * process instead of through HTTP, sockets and the API process. The workflows (what the memory
 * figures are about) are identical; only the API's share of the work is skipped, so reaching
 * 10,000 open conversations fits in the run. Visitor tokens are signed with the desk's secret, like
 * POST /api/visitor/session does, so the visitor clients can use these conversations later.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { createTokenService } from '../../api/auth/tokens.js';
import { deskClient } from '../../activities/desk-client.js';
import { dispatcherWorkflow } from '../../activities/workflow-types.js';
import type { ApiContext } from '../../api/context.js';
import { loadDispatcherSettings } from '../../db/settings.js';
import { conversationService } from '../../api/services/conversations.js';
import { connectDatabase, type Database } from '../../db/client.js';
import { visitors } from '../../db/schema.js';
import { serve } from '../lib/ipc.js';
import { sleep } from '../lib/stats.js';

let database: Database;
let service: ReturnType<typeof conversationService>;
let tokens: ReturnType<typeof createTokenService>;
let counter = 0;

serve({
  async init(a: { databaseUrl: string; temporalAddress: string; namespace: string; taskQueue: string; deskId: string; secret: string }) {
    database = connectDatabase(a.databaseUrl, 16);
    const connection = await Connection.connect({ address: a.temporalAddress });
    const temporal = new Client({ connection, namespace: a.namespace });
    tokens = createTokenService(a.secret);
    // No sockets here: joining the visitor's sockets to the room is a no-op.
    const io = { in: () => ({ socketsJoin: () => {} }) } as unknown as ApiContext['io'];
    const loadSettings = () => loadDispatcherSettings(database.db);
    const desk = deskClient({ temporal, deskId: a.deskId, taskQueue: a.taskQueue, dispatcherWorkflow, loadSettings });
    const ctx = { database, temporal, tokens, io, desk, config: { namespace: a.namespace, taskQueue: a.taskQueue, deskId: a.deskId, temporalUiUrl: '' } } as ApiContext;
    service = conversationService(ctx);
    return true;
  },

  /** Starts `count` conversations, `concurrency` at a time; resolves once each has shown its menu. */
  async fill(a: { count: number; concurrency: number; timeoutMs: number }) {
    const out: Array<{ token: string; visitorId: string; conversationId: string }> = [];
    let next = 0;
    let failed = 0;
    const errors: string[] = [];
    const t0 = Date.now();
    await Promise.all(Array.from({ length: a.concurrency }, async () => {
      while (next < a.count) {
        next++;
        try {
          const visitorId = randomUUID();
          await database.db.insert(visitors).values({ id: visitorId, displayName: `Bulk ${process.pid} ${++counter}` });
          const c = await service.start(visitorId, 'web', { forceNew: false });
          out.push({ token: await tokens.signVisitor(visitorId), visitorId, conversationId: c.id });
        } catch (err) {
          failed++;
          if (errors.length < 5) errors.push(String(err));
        }
      }
    }));
    const startedMs = Date.now() - t0;
    // Open and idle = the first workflow task ran: the menu is in the transcript.
    const ids = out.map((x) => x.conversationId);
    const deadline = Date.now() + a.timeoutMs;
    let withMenu: number;
    for (;;) {
      const res = await database.db.execute<{ n: number }>(sql`SELECT count(DISTINCT conversation_id)::int AS n FROM messages
        WHERE conversation_id = ANY(${`{${ids.join(',')}}`}::uuid[]) AND body->>'kind' = 'menu'`);
      withMenu = res.rows[0].n;
      if (withMenu >= ids.length || Date.now() > deadline) break;
      await sleep(500);
    }
    return { handles: out, failed, errors, startedMs, readyMs: Date.now() - t0, withMenu };
  },
});
