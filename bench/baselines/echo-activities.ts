import { and, eq, inArray } from 'drizzle-orm';
import { bigserial, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client.js';

/** Shaped like Parley's `messages` table (bigserial seq, uuid id, jsonb body, unique (key, client id)). */
export const benchEvents = pgTable('bench_echo_events', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull().unique(),
  workflowId: text('workflow_id').notNull(),
  key: text('key').notNull(),
  body: jsonb('body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('bench_echo_events_uq').on(t.workflowId, t.key)]);

export const benchRatings = pgTable('bench_echo_ratings', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  workflowId: text('workflow_id').notNull(),
  score: integer('score').notNull(),
});

export const CREATE_TABLES = `
  CREATE TABLE IF NOT EXISTS bench_echo_events (
    seq bigserial PRIMARY KEY, id uuid NOT NULL UNIQUE, workflow_id text NOT NULL, key text NOT NULL,
    body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  CREATE UNIQUE INDEX IF NOT EXISTS bench_echo_events_uq ON bench_echo_events (workflow_id, key);
  CREATE TABLE IF NOT EXISTS bench_echo_ratings (seq bigserial PRIMARY KEY, workflow_id text NOT NULL, score integer NOT NULL);`;

export function createEchoActivities(deps: { db: Db; pool: pg.Pool; temporal: Client }) {
  const { db, pool, temporal } = deps;
  return {
    /** Parley's postMessages for one message: insert (idempotent), read back, NOTIFY a socket.io-sized envelope. */
    async recordAndNotify(input: { workflowId: string; key: string; channel: string; notify: string | null }): Promise<void> {
      const body = { kind: 'text', text: 'Our agents answer chats during business hours. At other times you can leave a message and we will reply by email.' };
      await db.insert(benchEvents).values({ id: randomUUID(), workflowId: input.workflowId, key: input.key, body }).onConflictDoNothing();
      const [row] = await db.select().from(benchEvents).where(and(eq(benchEvents.workflowId, input.workflowId), inArray(benchEvents.key, [input.key])));
      const envelope = {
        uid: `echo-${process.pid}`, nsp: '/', type: 3,
        data: { packet: { type: 2, data: ['message', { ...row, notify: input.notify }], nsp: '/' }, opts: { rooms: [`conversation:${input.workflowId}`], except: [], flags: {} } },
      };
      await pool.query('SELECT pg_notify($1, $2)', [input.channel, JSON.stringify(envelope)]);
    },

    /** Stands in for enqueue → dispatcher → assigned: one signal back to the workflow. */
    async floorEnqueue(input: { workflowId: string }): Promise<void> {
      await temporal.workflow.getHandle(input.workflowId).signal('floorAssigned');
    },

    /** Like storeRating: a small transaction. */
    async floorStoreRating(input: { workflowId: string; score: number }): Promise<void> {
      await db.transaction(async (tx) => {
        const [r] = await tx.insert(benchRatings).values({ workflowId: input.workflowId, score: input.score }).returning({ seq: benchRatings.seq });
        await tx.update(benchRatings).set({ score: input.score }).where(eq(benchRatings.seq, r.seq));
      });
    },
  };
}
export type EchoActivities = ReturnType<typeof createEchoActivities>;
