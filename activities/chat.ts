import { sql } from 'drizzle-orm';
import type { ChatActivity } from '../domain/conversation/chat-activity.js';
import type { ActivityDeps } from './deps.js';

export function chatActivities({ db }: ActivityDeps) {
  return {
    /**
     * When the visitor and the serving agent last wrote in the conversation (the chat timers' input).
     * Only `agentId`'s messages count: a previous agent may still have written after the transfer. Private
     * notes (staff only) are not chat: they never reset the visitor's or the idle timers.
     */
    async lastChatMessages(input: { conversationId: string; agentId?: string | null }): Promise<ChatActivity> {
      const { rows } = await db.execute<{ visitor_at: string | null; agent_at: string | null }>(sql`
        select (extract(epoch from max(created_at) filter (where sender = 'visitor')) * 1000)::float8 as visitor_at,
               (extract(epoch from max(created_at) filter (where sender = 'agent' and sender_id = ${input.agentId ?? null})) * 1000)::float8 as agent_at
        from messages where conversation_id = ${input.conversationId} and not staff_only`); // private notes are not chat
      const ms = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Math.floor(Number(v)));
      return { visitorAt: ms(rows[0]?.visitor_at), agentAt: ms(rows[0]?.agent_at) };
    },
  };
}
