import type { FlowSettings } from '../../domain/flow/schema.js';
import { chatCheckSec } from './chat-activity.js';
import type { ConversationSnapshot } from './state.js';
import { offlineSettingsOf } from './offline.js';

export type TimerKind = 'queueReminder' | 'visitorReminder' | 'visitorTimeout' | 'idle' | 'ratingWindow' | 'chatCheck' | 'waitLimit';
/** Timers whose deadline depends on chat messages: the transcript is read before they fire. */
export const CHAT_TIMERS: ReadonlySet<TimerKind> = new Set(['idle', 'visitorReminder', 'visitorTimeout', 'chatCheck']);
export interface DueTimer { kind: TimerKind; at: number }

/** The earliest timer the conversation is waiting on in its current status, or null. Pure, so unit-testable. */
export function nextTimer(s: ConversationSnapshot, settings: FlowSettings): DueTimer | null {
  const candidates: DueTimer[] = [];
  const sec = (n: number) => n * 1000;
  switch (s.status) {
    case 'bot':
    case 'queued':
    case 'offered':
      candidates.push({ kind: 'idle', at: s.lastActivityAt + sec(settings.waitingIdleSec) });
      if (s.status !== 'bot' && settings.queueReminderSec && s.lastQueueNoticeAt !== null && !remindersUsedUp(s, settings)) {
        candidates.push({ kind: 'queueReminder', at: s.lastQueueNoticeAt + sec(settings.queueReminderSec) });
      }
      {
        // Issue 19: still queued past the wait limit: offer to leave a message (once).
        const limit = offlineSettingsOf(settings)?.waitLimitSec;
        if (s.status === 'queued' && limit && s.queuedSince != null && !s.leaveMessage) candidates.push({ kind: 'waitLimit', at: s.queuedSince + sec(limit) });
      }
      break;
    case 'assigned':
      candidates.push({ kind: 'idle', at: s.lastActivityAt + sec(settings.assignedIdleSec) });
      if (s.chatKnownAt != null) candidates.push({ kind: 'chatCheck', at: s.chatKnownAt + sec(chatCheckSec(settings)) });
      if (s.awaitingVisitorSince !== null) {
        if (settings.visitorReminderSec && !s.reminderSent) {
          candidates.push({ kind: 'visitorReminder', at: s.awaitingVisitorSince + sec(settings.visitorReminderSec) });
        }
        candidates.push({ kind: 'visitorTimeout', at: s.awaitingVisitorSince + sec(settings.visitorTimeoutSec) });
      }
      break;
    case 'rating':
      if (s.ratingOpenUntil !== null) candidates.push({ kind: 'ratingWindow', at: s.ratingOpenUntil });
      break;
    case 'ended':
      break;
  }
  return candidates.reduce<DueTimer | null>((a, b) => (a === null || b.at < a.at ? b : a), null);
}

/** Issue 19: the flow's maximum number of queue reminders has fired (conversations started before it have none). */
function remindersUsedUp(s: ConversationSnapshot, settings: FlowSettings): boolean {
  const max = offlineSettingsOf(settings)?.queueReminderMax;
  return max !== undefined && max !== null && (s.queueReminders ?? 0) >= max;
}
