import { and, eq, inArray } from 'drizzle-orm';
import { toChatMessage } from '../db/mappers.js';
import { messages } from '../db/schema.js';
import { rooms } from '../shared/events.js';
import type { MessageBody } from '../shared/messages.js';
import type { ActivityDeps } from './deps.js';

export interface NewWorkflowMessage {
  id: string;
  /** Deterministic per conversation (`wf:<n>`), so a retried activity never writes twice. */
  clientId: string;
  sender: 'bot' | 'system';
  body: MessageBody;
}

export function messageActivities({ db, emitter }: ActivityDeps) {
  return {
    /** Stores the flow's and Parley's own messages in the transcript and pushes them to the conversation's room. */
    async postMessages(input: { conversationId: string; messages: NewWorkflowMessage[] }): Promise<void> {
      const { conversationId } = input;
      await db.insert(messages).values(input.messages.map((msg) => ({
        id: msg.id, conversationId, sender: msg.sender, senderName: msg.sender === 'bot' ? 'Parley' : null, body: msg.body, clientId: msg.clientId,
      }))).onConflictDoNothing();
      // Read back (also after a retry whose insert already happened) so clients get seq and time.
      const stored = await db.select().from(messages).where(and(
        eq(messages.conversationId, conversationId),
        inArray(messages.clientId, input.messages.map((msg) => msg.clientId)),
      ));
      for (const row of stored.sort((a, b) => a.seq - b.seq)) {
        await emitter.emit(rooms.conversation(conversationId), 'message', toChatMessage(row));
      }
    },
  };
}
