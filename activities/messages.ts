import { and, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { toChatMessage } from '../db/mappers.js';
import { messages } from '../db/schema.js';
import { rooms } from '../shared/events.js';
import type { MessageBody } from '../shared/messages.js';
import { conversationQueries } from '../db/queries.js';
import type { ActivityDeps } from './deps.js';
import { writeProjection, type ProjectionInput } from './projection.js';
import type { Outgoing, SocketEmitter } from './socket-emitter.js';

export interface NewWorkflowMessage {
  id: string;
  /** Deterministic per conversation (`wf:<n>`), so a retried activity never writes twice. */
  clientId: string;
  sender: 'bot' | 'system';
  body: MessageBody;
}

/** A workflow-written message of one conversation, as stored. */
type StoredWorkflowMessage = NewWorkflowMessage & { conversationId: string };

/**
 * Stores Parley's own messages (any conversations) unless their `clientId` is already stored, then
 * pushes each to its conversation's room in transcript order. Read back also after a retry whose
 * insert already happened, so clients always get seq and time.
 */
export async function storeWorkflowMessages(db: Db, emitter: SocketEmitter, rows: StoredWorkflowMessage[], first: Outgoing[] = []): Promise<void> {
  if (rows.length === 0) return emitter.publish(first);
  await db.insert(messages).values(rows.map((msg) => ({
    id: msg.id, conversationId: msg.conversationId, sender: msg.sender, senderName: msg.sender === 'bot' ? 'Parley' : null, body: msg.body, clientId: msg.clientId,
  }))).onConflictDoNothing();
  const wanted = new Set(rows.map((msg) => `${msg.conversationId} ${msg.clientId}`));
  const stored = (await db.select().from(messages).where(and(
    inArray(messages.conversationId, [...new Set(rows.map((msg) => msg.conversationId))]),
    inArray(messages.clientId, rows.map((msg) => msg.clientId)),
  ))).filter((row) => wanted.has(`${row.conversationId} ${row.clientId}`));
  await emitter.publish([
    ...first,
    ...stored.sort((a, b) => a.seq - b.seq).map((row) => emitter.event(rooms.conversation(row.conversationId), 'message', toChatMessage(row))),
  ]);
}

export function messageActivities(deps: ActivityDeps) {
  const { db, emitter } = deps;
  const queries = conversationQueries(db);
  return {
    /**
     * Stores the flow's and Parley's own messages in the transcript and pushes them to the conversation's
     * room; with `projection`, writes that state first (a conversation's first state rides with its welcome).
     */
    async postMessages(input: { conversationId: string; messages: NewWorkflowMessage[]; projection?: ProjectionInput }): Promise<void> {
      const first = input.projection ? await writeProjection(deps, queries, input.projection) : [];
      await storeWorkflowMessages(db, emitter, input.messages.map((msg) => ({ ...msg, conversationId: input.conversationId })), first);
    },
  };
}
