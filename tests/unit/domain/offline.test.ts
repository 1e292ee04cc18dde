import { describe, expect, it } from 'vitest';
import { availabilityOf, estimateWaitSec, formatWaitText } from '../../../domain/availability.js';
import { Desk } from '../../../domain/desk/desk.js';
import { DEFAULT_DISPATCHER_SETTINGS, emptyDispatcher } from '../../../domain/desk/state.js';
import { NOBODY_SIGNED_IN } from '../../../domain/conversation/offline.js';
import { LeftMessageInputSchema } from '../../../domain/left-messages.js';

/** Issue 19's pure rules: the channel's state, the estimated wait, the desk refusing a hand-off nobody can take, the form's checks. */
describe('when nobody can answer: domain rules', () => {
  it('a channel is online with an accepting agent, away with only busy/away ones, offline with none or out of hours', () => {
    expect(availabilityOf({ online: 1, signedIn: 2 }, true)).toEqual({ status: 'online', reason: 'agentsOnline' });
    expect(availabilityOf({ online: 0, signedIn: 2 }, true)).toEqual({ status: 'away', reason: 'agentsAway' });
    expect(availabilityOf({ online: 0, signedIn: 0 }, true)).toEqual({ status: 'offline', reason: 'nobodyOnline' });
    expect(availabilityOf({ online: 3, signedIn: 3 }, false)).toEqual({ status: 'offline', reason: 'outOfHours' });
  });

  it('the estimated wait grows with the position and shrinks with the agents serving', () => {
    expect(estimateWaitSec(3, 120, 1)).toBe(360);
    expect(estimateWaitSec(3, 120, 3)).toBe(120);
    expect(estimateWaitSec(3, 120, 0)).toBe(360); // nobody serving yet: as for one
    expect(estimateWaitSec(3, null, 2)).toBeNull();
    expect([formatWaitText(null), formatWaitText(20), formatWaitText(60), formatWaitText(600), formatWaitText(7200)])
      .toEqual(['', 'less than a minute', 'about a minute', 'about 10 minutes', 'about 2 hours']);
  });

  it('the desk refuses an entry asked to fail when nobody of its team is signed in, and queues it otherwise', () => {
    const desk = new Desk(emptyDispatcher('d', DEFAULT_DISPATCHER_SETTINGS));
    const entry = { teamId: 'support', vip: false, visitorId: 'v', visitorName: 'V', enqueuedAt: 0, preferredAgentIds: [], strategy: null, failIfNobodyOnline: true };
    desk.enqueue({ ...entry, conversationId: 'c1' });
    expect(desk.takeActions()).toEqual([{ type: 'handoffFailed', conversationId: 'c1', reason: NOBODY_SIGNED_IN }]);
    desk.setAgentStatus({ agentId: 'a', name: 'A', maxConversations: 1, teamIds: ['sales'], status: 'away' });
    desk.enqueue({ ...entry, conversationId: 'c2' });
    expect(desk.takeActions()).toContainEqual({ type: 'handoffFailed', conversationId: 'c2', reason: NOBODY_SIGNED_IN }); // another team's agent
    desk.setAgentStatus({ agentId: 'a', name: 'A', maxConversations: 1, teamIds: ['support'], status: 'away' });
    desk.enqueue({ ...entry, conversationId: 'c3' });
    expect(desk.s.queue.map((e) => e.conversationId)).toEqual(['c3']); // signed in (away): it waits
  });

  it('the form needs a name, an e-mail address or a phone number, and a message', () => {
    const ok = { name: 'Ada', email: 'ada@example.com', message: 'Call me back' };
    expect(LeftMessageInputSchema.safeParse(ok).success).toBe(true);
    expect(LeftMessageInputSchema.safeParse({ name: 'Ada', phone: '+44 20 7946 0958', message: 'Hi' }).success).toBe(true);
    for (const bad of [
      { ...ok, email: undefined }, { ...ok, name: '  ' }, { ...ok, message: '' }, { ...ok, email: 'not-an-address' },
      { name: 'Ada', phone: '12', message: 'x' }, { name: 'Ada', phone: '<script>', message: 'x' }, { ...ok, extra: 1 }, { ...ok, message: 'x'.repeat(4001) },
    ]) expect(LeftMessageInputSchema.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
  });
});
