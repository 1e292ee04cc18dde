import { and, eq, lt, sql } from 'drizzle-orm';
import type { ConversationProjection } from '../domain/conversation/events.js';
import type { MessageBody } from '../domain/messages.js';
import type { Db } from './client.js';
import { conversations, messages } from './schema.js';
import { recordStatusChange, type StatusChange } from './reports/facts.js';

/** A workflow's state as the conversations table keeps it: the projection without what only the apps are told. */
export type ProjectionRow = Omit<ConversationProjection, 'endedAt' | 'agentName' | 'ratingOpenUntil' | 'flowVars'> & { endedAt: Date | null;
  /** Null keeps the stored variables (a projection from a release that did not carry them). */
  flowVars: Record<string, string> | null };

/** A message the workflows write (bot or system), of one conversation. */
export interface WorkflowMessageRow {
  id: string;
  conversationId: string;
  sender: 'bot' | 'system';
  body: MessageBody;
  /** Deterministic per conversation (`wf:<n>`), so a retried activity never writes twice. */
  clientId: string;
}

/** Statements per row count; a larger batch (the desk's notices to many visitors) is built each time. */
const MAX_PREPARED_ROWS = 16;

/**
 * The worker's writes on every conversation step (its state and its bot messages), as prepared
 * statements: built once per process and planned once per connection. Building them with the query
 * builder on every step was ~8 % of the worker's main thread in a `--only starts --profile` bench.
 */
export function workflowWriteQueries(db: Db) {
  const agentBefore = db.select({ agentId: conversations.agentId, status: conversations.status, rating: conversations.rating }).from(conversations)
    .where(eq(conversations.id, sql.placeholder('id'))).prepare('projection_agent_before');
  // `set` takes no placeholders in drizzle 0.45's types (it does at run time: drizzle-orm issue 5084).
  const param = (name: keyof ProjectionRow) => sql`${sql.placeholder(name)}`;
  const project = db.update(conversations).set({
    status: param('status'),
    agentId: param('agentId'),
    teamId: param('teamId'),
    queuePosition: param('queuePosition'),
    closedBy: param('closedBy'),
    rating: param('rating'),
    revision: param('revision'),
    updatedAt: sql`now()`,
    endedAt: param('endedAt'),
    flowVars: sql`coalesce(${sql.placeholder('flowVars')}::jsonb, ${conversations.flowVars})`,
  }).where(and(eq(conversations.id, sql.placeholder('conversationId')), lt(conversations.revision, sql.placeholder('revision'))))
    .prepare('projection_update');
  const readBack = db.select().from(messages).where(and(
    sql`${messages.conversationId} = any(${sql.placeholder('conversationIds')}::uuid[])`,
    sql`${messages.clientId} = any(${sql.placeholder('clientIds')}::text[])`,
  )).prepare('workflow_messages_read_back');

  const inserts = new Map<number, ReturnType<typeof insertStatement>>();
  function insertStatement(n: number) {
    const row = (i: number) => ({
      id: sql.placeholder(`id${i}`), conversationId: sql.placeholder(`conversationId${i}`), sender: sql.placeholder(`sender${i}`),
      senderName: sql.placeholder(`senderName${i}`), body: sql.placeholder(`body${i}`), clientId: sql.placeholder(`clientId${i}`),
    });
    return db.insert(messages).values(Array.from({ length: n }, (_, i) => row(i))).onConflictDoNothing().prepare(`workflow_messages_insert_${n}`);
  }
  const senderName = (m: WorkflowMessageRow) => (m.sender === 'bot' ? 'Parley' : null);

  return {
    async agentBefore(conversationId: string): Promise<string | null | undefined> {
      const [row] = await agentBefore.execute({ id: conversationId });
      return row?.agentId;
    },
    /** The stored agent, status and rating (issue 21: a change of them is recorded for the reports); undefined: no row. */
    async stateBefore(conversationId: string): Promise<{ agentId: string | null; status: string; rating: number | null } | undefined> {
      const [row] = await agentBefore.execute({ id: conversationId });
      return row;
    },
    /** Issue 21: the reporting projection's part of a status change (db/reports/facts.ts), off the message path. */
    recordStatusChange: (c: StatusChange) => recordStatusChange(db, c),
    /** Writes the state unless a newer revision is already stored. */
    async project(p: ProjectionRow): Promise<void> {
      await project.execute({ ...p });
    },
    /** Inserts messages whose (conversation, clientId) is not stored yet; returns all of them as stored. */
    async storeMessages(rows: WorkflowMessageRow[]) {
      if (rows.length > MAX_PREPARED_ROWS) {
        await db.insert(messages).values(rows.map((m) => ({ ...m, senderName: senderName(m) }))).onConflictDoNothing();
      } else {
        let insert = inserts.get(rows.length);
        if (!insert) inserts.set(rows.length, insert = insertStatement(rows.length));
        const params: Record<string, unknown> = {};
        rows.forEach((m, i) => Object.assign(params, {
          [`id${i}`]: m.id, [`conversationId${i}`]: m.conversationId, [`sender${i}`]: m.sender,
          [`senderName${i}`]: senderName(m), [`body${i}`]: m.body, [`clientId${i}`]: m.clientId,
        }));
        await insert.execute(params);
      }
      const wanted = new Set(rows.map((m) => `${m.conversationId} ${m.clientId}`));
      const stored = await readBack.execute({
        conversationIds: [...new Set(rows.map((m) => m.conversationId))],
        clientIds: rows.map((m) => m.clientId),
      });
      return stored.filter((row) => wanted.has(`${row.conversationId} ${row.clientId}`)).sort((a, b) => a.seq - b.seq);
    },
  };
}
export type WorkflowWriteQueries = ReturnType<typeof workflowWriteQueries>;
