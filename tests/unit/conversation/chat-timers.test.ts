import { describe, expect, it } from 'vitest';
import { FlowSettingsSchema } from '../../../domain/flow/schema.js';
import { absorbChat, chatCheckSec } from '../../../domain/conversation/chat-activity.js';
import { initialSnapshot, type ConversationSnapshot } from '../../../domain/conversation/state.js';
import { nextTimer } from '../../../domain/conversation/timers.js';

const settings = FlowSettingsSchema.parse({ visitorReminderSec: 60, visitorTimeoutSec: 600, assignedIdleSec: 3600 });
const T0 = 1_000_000;

/** A conversation an agent took at T0, the transcript read up to then. */
function served(): ConversationSnapshot {
  return { ...initialSnapshot('c', T0), status: 'assigned', agentId: 'a', servedSince: T0, chatKnownAt: T0, lastActivityAt: T0 };
}

describe('chat timers from the transcript', () => {
  it('looks at the transcript again before a no-reply timer could come due', () => {
    const s = served();
    expect(nextTimer(s, settings)).toEqual({ kind: 'chatCheck', at: T0 + 60_000 });
    expect(chatCheckSec({ visitorReminderSec: null, visitorTimeoutSec: 600 })).toBe(600);
  });

  it('an agent message the visitor has not answered starts the wait at that message', () => {
    const s = served();
    absorbChat(s, { visitorAt: T0 - 5_000, agentAt: T0 + 10_000 }, T0 + 60_000);
    expect(s.awaitingVisitorSince).toBe(T0 + 10_000);
    expect(s.lastActivityAt).toBe(T0 + 10_000);
    expect(nextTimer(s, settings)).toEqual({ kind: 'visitorReminder', at: T0 + 70_000 });
  });

  it('the visitor answering ends the wait; the idle limit counts from the last message', () => {
    const s = served();
    absorbChat(s, { visitorAt: null, agentAt: T0 + 10_000 }, T0 + 60_000);
    s.reminderSent = true;
    absorbChat(s, { visitorAt: T0 + 65_000, agentAt: T0 + 10_000 }, T0 + 120_000);
    expect(s.awaitingVisitorSince).toBeNull();
    expect(s.reminderSent).toBe(false);
    expect(nextTimer(s, { ...settings, visitorReminderSec: null, visitorTimeoutSec: 7200 })).toEqual({ kind: 'idle', at: T0 + 65_000 + 3_600_000 });
  });

  it('keeps the reminder already sent for the same agent message, starts afresh for a newer one', () => {
    const s = served();
    absorbChat(s, { visitorAt: null, agentAt: T0 + 10_000 }, T0 + 60_000);
    s.reminderSent = true;
    absorbChat(s, { visitorAt: null, agentAt: T0 + 10_000 }, T0 + 70_000);
    expect(s.reminderSent).toBe(true);
    expect(nextTimer(s, settings)?.kind).toBe('chatCheck');
    absorbChat(s, { visitorAt: null, agentAt: T0 + 100_000 }, T0 + 130_000);
    expect(s).toMatchObject({ reminderSent: false, awaitingVisitorSince: T0 + 100_000 });
  });

  it('messages of an earlier agent (before a transfer) do not start the wait', () => {
    const s = served();
    absorbChat(s, { visitorAt: T0 - 50_000, agentAt: T0 - 1_000 }, T0 + 60_000);
    expect(s.awaitingVisitorSince).toBeNull();
  });

  it('outside an agent chat only the idle limit moves', () => {
    const s: ConversationSnapshot = { ...initialSnapshot('c', T0), status: 'queued' };
    absorbChat(s, { visitorAt: T0 + 30_000, agentAt: null }, T0 + 40_000);
    expect(s).toMatchObject({ lastActivityAt: T0 + 30_000, awaitingVisitorSince: null, chatKnownAt: null });
    expect(nextTimer(s, settings)?.kind).not.toBe('chatCheck');
  });
});
