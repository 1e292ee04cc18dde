import type { ConversationSnapshot } from './state.js';

/*
 * Live chat (visitor ↔ agent) is not signalled to the workflow: the transcript in PostgreSQL is its
 * record. The chat timers read the latest message times from it when they come due and re-arm.
 */

/** Latest visitor and agent message times in the transcript (epoch ms), as the `lastChatMessages` activity reads them. */
export interface ChatActivity { visitorAt: number | null; agentAt: number | null }

/**
 * Folds the transcript's latest chat messages, read at `readAt`, into the timers' inputs. Pure.
 * The no-reply wait runs from the current agent's last message while the visitor has not answered.
 */
export function absorbChat(s: ConversationSnapshot, chat: ChatActivity, readAt: number): void {
  s.lastActivityAt = Math.max(s.lastActivityAt, chat.visitorAt ?? 0, chat.agentAt ?? 0);
  if (s.status !== 'assigned') return;
  const agentAt = chat.agentAt !== null && chat.agentAt >= (s.servedSince ?? 0) ? chat.agentAt : null;
  const awaiting = agentAt !== null && agentAt > (chat.visitorAt ?? -Infinity) ? agentAt : null;
  // A later agent message (or the visitor's answer) starts a new wait; the same one keeps its reminder.
  if (awaiting === null || s.awaitingVisitorSince === null || awaiting > s.awaitingVisitorSince) {
    if (awaiting !== s.awaitingVisitorSince) s.reminderSent = false;
    s.awaitingVisitorSince = awaiting;
  }
  s.chatKnownAt = readAt;
}

/**
 * How long an agent message can go unseen: the earliest a no-reply timer could come due after one.
 * Checking the transcript this often arms those timers on time without a signal per message.
 */
export function chatCheckSec(settings: { visitorReminderSec: number | null; visitorTimeoutSec: number }): number {
  return Math.min(settings.visitorReminderSec ?? Infinity, settings.visitorTimeoutSec);
}
