import { toChatMessage } from '../db/mappers.js';
import { conversationQueries } from '../db/queries.js';
import { workflowWriteQueries, type WorkflowMessageRow, type WorkflowWriteQueries } from '../db/workflow-writes.js';
import { rooms } from '../domain/contracts/events.js';
import type { ActivityDeps } from './deps.js';
import { writeProjection, type ProjectionInput } from './projection.js';
import type { Outgoing, SocketEmitter } from './socket-emitter.js';

/** A message of the conversation the activity is called for. */
export type NewWorkflowMessage = Omit<WorkflowMessageRow, 'conversationId'>;

/**
 * Stores Parley's own messages (any conversations) unless their `clientId` is already stored, then
 * pushes each to its conversation's room in transcript order. Read back also after a retry whose
 * insert already happened, so clients always get seq and time.
 */
export async function storeWorkflowMessages(writes: WorkflowWriteQueries, emitter: SocketEmitter, rows: WorkflowMessageRow[],
    first: Outgoing[] = []): Promise<void> {
  if (rows.length === 0) return emitter.publish(first);
  const stored = await writes.storeMessages(rows);
  await emitter.publish([
    ...first,
    ...stored.map((row) => emitter.event(rooms.conversation(row.conversationId), 'message', toChatMessage(row))),
  ]);
}

export function messageActivities(deps: ActivityDeps) {
  const { db, emitter } = deps;
  const queries = conversationQueries(db);
  const writes = workflowWriteQueries(db);
  return {
    /**
     * Stores the flow's and Parley's own messages in the transcript and pushes them to the conversation's
     * room; with `projection`, writes that state first (a conversation's first state rides with its welcome).
     */
    async postMessages(input: { conversationId: string; messages: NewWorkflowMessage[]; projection?: ProjectionInput }): Promise<void> {
      const first = input.projection ? await writeProjection(emitter, queries, writes, input.projection) : [];
      await storeWorkflowMessages(writes, emitter, input.messages.map((msg) => ({ ...msg, conversationId: input.conversationId })), first);
    },
  };
}
