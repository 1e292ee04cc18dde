import { describe, expect, it } from 'vitest';
import type { FlowDefinitionInput } from '../../../domain/flow/schema.js';
import { NOBODY_SIGNED_IN } from '../../../domain/conversation/offline.js';
import type { ConversationInput } from '../../../domain/conversation/state.js';
import { bodiesOf, Driver, inputOf, kindsOf, T0 } from './driver.js';

/** Issue 19, when nobody can answer: the conversation machine's side (pure; the stack tests are tests/integration/offline/). */
type Settings = FlowDefinitionInput['settings'];
type Policy = 'settings' | 'queue' | 'message' | 'fail';

const flow = (settings: Settings = {}, whenNobodyAnswers: Policy = 'settings'): FlowDefinitionInput => ({
  start: 'queue',
  nodes: [
    { id: 'queue', type: 'handoff', config: { teamId: 'support', connecting: 'Connecting…', failed: 'Nobody.', whenNobodyAnswers }, edges: [{ on: 'failed', to: 'bye' }] },
    { id: 'bye', type: 'end', config: { text: 'Bye.' } },
  ],
  settings,
});
/** T0 is a Wednesday 10:00 UTC: these hours are closed then. */
const CLOSED_NOW = { timeZone: 'UTC', weekly: [{ day: 3, start: '12:00', end: '18:00' }], holidays: [] };

function started(settings: Settings = {}, policy: Policy = 'settings', answers: ConstructorParameters<typeof Driver>[1] = {}) {
  const d = new Driver(inputOf(flow(settings, policy)), answers);
  const commands = d.send({ type: 'started' });
  return { d, commands };
}

describe('when nobody can answer', () => {
  it('outside working hours offers to leave a message at once, without queueing', () => {
    const { d, commands } = started({ workingHours: CLOSED_NOW });
    expect(commands.some((c) => c.type === 'enqueue')).toBe(false);
    expect(bodiesOf(commands)).toEqual([{ kind: 'leave-message', reason: 'outOfHours', text: 'We are closed right now. Leave us a message and we will get back to you.' }]);
    expect(d.s).toMatchObject({ status: 'bot', leaveMessage: { reason: 'outOfHours', at: T0 } });
  });

  it('outside working hours, a hand-off set to fail takes its failed edge; one set to queue queues', () => {
    const failed = started({ workingHours: CLOSED_NOW, rating: { enabled: false } }, 'fail');
    expect(bodiesOf(failed.commands).map((b) => 'text' in b && b.text)).toEqual(['Nobody.', 'Bye.']);
    expect(failed.d.s.status).toBe('ended');
    const queued = started({ workingHours: CLOSED_NOW, offline: { outsideWorkingHours: 'queue' } });
    expect(kindsOf(queued.commands)).toContain('enqueue');
    expect(queued.d.s.status).toBe('queued');
  });

  it('asks the desk to refuse the hand-off when nobody is signed in, then offers the form and leaves the queue', () => {
    const { d, commands } = started();
    expect(commands.find((c) => c.type === 'enqueue')).toMatchObject({ failIfNobodyOnline: true });
    const refused = d.send({ type: 'handoffFailed', reason: NOBODY_SIGNED_IN });
    expect(kindsOf(refused)).toEqual(['project', 'say:leave-message', 'release']);
    expect(d.s).toMatchObject({ status: 'bot', leaveMessage: { reason: 'nobodyOnline' } });
    // Any other failure (a team without agents, the desk's own rule) still takes the failed edge.
    const other = started();
    other.d.send({ type: 'handoffFailed', reason: 'Team support has no agents' });
    expect(other.d.s.closedBy).toBe('flow');
  });

  it('"queue anyway" never asks the desk to refuse', () => {
    const { commands } = started({ offline: { whenNobodyOnline: 'queue' } });
    expect(commands.find((c) => c.type === 'enqueue')).not.toHaveProperty('failIfNobodyOnline');
    const node = started({}, 'queue');
    expect(node.commands.find((c) => c.type === 'enqueue')).not.toHaveProperty('failIfNobodyOnline');
  });

  it('a left message ends the conversation: closed by left-message, the flow\'s text, no rating', () => {
    const { d } = started({ workingHours: CLOSED_NOW });
    const commands = d.send({ type: 'messageLeft', leftMessageId: 'm1' });
    expect(d.s).toMatchObject({ status: 'ended', closedBy: 'left-message' });
    expect(bodiesOf(commands)).toEqual([{ kind: 'end', closedBy: 'left-message', text: 'Thank you, we received your message and will get back to you soon.' }]);
    expect(d.send({ type: 'messageLeft', leftMessageId: 'm1' })).toEqual([]); // once
  });

  it('a message without an open offer changes nothing', () => {
    const { d } = started({ offline: { waitLimitSec: null } });
    expect(d.send({ type: 'messageLeft', leftMessageId: 'm1' })).toEqual([]);
    expect(d.s.status).toBe('queued');
  });

  it('past the wait limit the queued visitor is offered the form and keeps their place unless they send it', () => {
    const { d } = started({ queueReminderSec: null, offline: { waitLimitSec: 300 } });
    expect(d.conversation.timer()).toEqual({ kind: 'waitLimit', at: T0 + 300_000 });
    d.fireTimer();
    expect(bodiesOf(d.commands).at(-1)).toMatchObject({ kind: 'leave-message', reason: 'waitLimit' });
    expect(d.s.status).toBe('queued');
    expect(d.conversation.timer()?.kind).toBe('idle'); // offered once
    const commands = d.send({ type: 'messageLeft', leftMessageId: 'm1' });
    expect(kindsOf(commands)).toEqual(['project', 'say:end', 'release']); // out of the queue
  });

  it('a served conversation cannot be ended by a late left message', () => {
    const { d } = started({ queueReminderSec: null, offline: { waitLimitSec: 60 } });
    d.fireTimer();
    expect(d.s.leaveMessage).toMatchObject({ reason: 'waitLimit' });
    d.send({ type: 'assigned', agentId: 'alice', agentName: 'Alice', teamId: 'support' });
    expect(d.send({ type: 'messageLeft', leftMessageId: 'm1' })).toEqual([]);
    expect(d.s.status).toBe('assigned');
  });

  it('queue reminders stop after the maximum and say only a changed position', () => {
    let position = 3;
    const { d } = started({ queueReminderSec: 60, offline: { waitLimitSec: null, queueReminderMax: 3 } }, 'settings', {
      standing: () => ({ type: 'queueStanding', position, lastNoticeAt: T0, estimatedWaitSec: 240 }),
    });
    d.fireTimer(); // position 3: said
    d.fireTimer(); // still 3: not said again
    position = 2;
    d.fireTimer(); // 2: said
    expect(d.conversation.timer()?.kind).toBe('idle'); // three reminders: no more
    expect(bodiesOf(d.commands).filter((b) => b.kind === 'queue').map((b) => b.kind === 'queue' && b.position)).toEqual([3, 2]);
  });

  it('fills ${EstimatedWait} in the reminder from the queue reading', () => {
    const { d } = started({ queueReminderSec: 60, queueText: 'Number ${QueuePosition}, wait ${EstimatedWait}.', offline: { waitLimitSec: null } }, 'settings', {
      standing: () => ({ type: 'queueStanding', position: 2, lastNoticeAt: T0, estimatedWaitSec: 240 }),
    });
    d.fireTimer();
    expect(bodiesOf(d.commands).at(-1)).toMatchObject({ kind: 'queue', text: 'Number 2, wait about 4 minutes.' });
  });

  it('a queued visitor who left is dropped: closed by the visitor, the flow\'s text, no rating, released', () => {
    const { d } = started();
    const commands = d.send({ type: 'visitorLeftQueue' });
    expect(kindsOf(commands)).toEqual(['project', 'say:end', 'release']);
    expect(d.s).toMatchObject({ status: 'ended', closedBy: 'visitor' });
    const served = started();
    served.d.send({ type: 'assigned', agentId: 'alice', agentName: 'Alice', teamId: 'support' });
    expect(served.d.send({ type: 'visitorLeftQueue' })).toEqual([]);
  });

  it('a conversation started before issue 19 (no `offline` in its input) keeps the old behaviour', () => {
    const input: ConversationInput = inputOf(flow({ queueReminderSec: 60 }));
    const { offline: _dropped, ...settings } = input.flow.definition.settings;
    const definition = { ...input.flow.definition, settings: settings as typeof input.flow.definition.settings };
    const old: ConversationInput = { ...input, flow: { ...input.flow, definition } };
    const d = new Driver(old, { standing: () => ({ type: 'queueStanding', position: 3, lastNoticeAt: T0 }) });
    const commands = d.send({ type: 'started' });
    expect(commands.find((c) => c.type === 'enqueue')).not.toHaveProperty('failIfNobodyOnline');
    for (let i = 0; i < 5; i++) d.fireTimer();
    expect(bodiesOf(d.commands).filter((b) => b.kind === 'queue')).toHaveLength(5); // every 60 s, as before
    expect(d.send({ type: 'visitorLeftQueue' })).toEqual([]);
    expect(d.send({ type: 'handoffFailed', reason: NOBODY_SIGNED_IN }).some((c) => c.type === 'say' && c.messages.some((m) => m.body.kind === 'notice'))).toBe(true);
  });
});
