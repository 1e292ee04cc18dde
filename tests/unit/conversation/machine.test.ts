import { describe, expect, it } from 'vitest';
import type { FlowDefinitionInput } from '../../../domain/flow/schema.js';
import { HELD_RATING_MS } from '../../../domain/conversation/machine.js';
import { MAX_CHAINED_HTTP_CALLS, MAX_HANDOFF_FAILURES_WITHOUT_INPUT } from '../../../domain/flow/limits.js';
import { bodiesOf, Driver, inputOf, kindsOf, T0 } from './driver.js';

const handoffFlow = (settings: FlowDefinitionInput['settings'] = {}): FlowDefinitionInput => ({
  start: 'hi',
  nodes: [
    { id: 'hi', type: 'message', config: { text: 'Hi ${visitorName}' }, edges: [{ on: 'next', to: 'queue' }] },
    { id: 'queue', type: 'handoff', config: { teamId: 'support', connecting: 'Connecting…', connected: '${agentName} is here.', failed: 'Nobody.' }, edges: [{ on: 'failed', to: 'bye' }] },
    { id: 'bye', type: 'end', config: { text: 'Bye.' } },
  ],
  settings,
});

/** A conversation an agent (Alice) is serving. */
function served(settings: FlowDefinitionInput['settings'] = {}) {
  const d = new Driver(inputOf(handoffFlow(settings)));
  d.send({ type: 'started' });
  d.send({ type: 'assigned', agentId: 'alice', agentName: 'Alice', teamId: 'support' });
  return d;
}

describe('conversation state machine: examples', () => {
  it('starts: the first projection is written with the welcome, then the hand-off queues it', () => {
    const d = new Driver(inputOf(handoffFlow()));
    const commands = d.send({ type: 'started' });
    expect(kindsOf(commands)).toEqual(['say:text', 'say:notice', 'project', 'enqueue']);
    expect(commands[0]).toMatchObject({ type: 'say', sender: 'bot', projection: { revision: 1, status: 'bot' } });
    expect(commands[2]).toMatchObject({ type: 'project', projection: { revision: 2, status: 'queued', teamId: 'support' }, index: { status: 'queued', agent: null, team: 'support' } });
    // Issue 19: with nobody signed in the desk answers handoffFailed (the default offers to leave a message).
    expect(commands[3]).toEqual({ type: 'enqueue', teamId: 'support', queueNotice: expect.any(Array), failIfNobodyOnline: true });
    expect(bodiesOf(commands).map((b) => 'text' in b && b.text)).toEqual(['Hi Ada', 'Connecting…']);
    expect(d.s.status).toBe('queued');
  });

  it('an offer, then the agent: projected first, then announced; the chat timers start when the workflow last slept', () => {
    const d = new Driver(inputOf(handoffFlow()));
    d.send({ type: 'started' });
    expect(kindsOf(d.send({ type: 'offered', agentId: 'alice', agentName: 'Alice' }))).toEqual(['project']);
    d.sleptAt = T0 + 5;
    d.now = T0 + 10;
    const commands = d.send({ type: 'assigned', agentId: 'alice', agentName: 'Alice', teamId: 'support' });
    expect(kindsOf(commands)).toEqual(['project', 'say:notice']);
    expect(bodiesOf(commands)).toEqual([{ kind: 'notice', text: 'Alice is here.' }]);
    expect(d.s).toMatchObject({ status: 'assigned', agentId: 'alice', servedSince: T0 + 5, chatKnownAt: T0 + 5, lastActivityAt: T0 + 10 });
  });

  it('an agent\'s close the desk already released sends no release; a visitor\'s close of a held conversation does', () => {
    const byAgent = served();
    expect(kindsOf(byAgent.send({ type: 'close', by: 'agent', releasedAtDesk: true }))).toEqual(['project', 'say:end,rating-invite']);
    const byVisitor = served();
    expect(kindsOf(byVisitor.send({ type: 'close', by: 'visitor' }))).toEqual(['project', 'say:end,rating-invite', 'release']);
    expect(byVisitor.send({ type: 'close', by: 'agent' })).toEqual([]); // closed once
  });

  it('no rating invitation when ratings are off, or after an automatic close unless asked for', () => {
    const off = served({ rating: { enabled: false } });
    off.send({ type: 'close', by: 'visitor' });
    expect(off.s.status).toBe('ended');
    const auto = served({ rating: { enabled: true, afterAutoClose: false }, assignedIdleSec: 60 });
    while (auto.s.status === 'assigned') auto.fireTimer();
    expect(auto.s).toMatchObject({ status: 'ended', closedBy: 'timer' });
    expect(bodiesOf(auto.commands).filter((b) => b.kind === 'timeout' || b.kind === 'end').map((b) => b.kind)).toEqual(['timeout', 'end']);
  });

  it('ratings: counted within the window, a retry is ignored, a late one refused, the window closes the conversation', () => {
    const d = served({ rating: { validitySec: 60 } });
    d.send({ type: 'close', by: 'agent', releasedAtDesk: true });
    const openUntil = d.s.ratingOpenUntil!;
    expect(openUntil).toBe(d.now + 60_000);
    const rate = (requestId: string, score: number, submittedAt = d.now) => d.send({ type: 'rate', submission: { requestId, score, submittedAt } });
    expect(kindsOf(rate('r1', 4))).toEqual(['storeRating', 'say:rating-result', 'project']);
    expect(rate('r1', 4)).toEqual([]);
    expect(rate('r2', 9)).toEqual([]); // not a score
    expect(rate('r3', 5, openUntil + 1)).toEqual([]); // accepted by the API after the window
    expect(rate('r4', 2)[0]).toEqual({ type: 'storeRating', score: 2, comment: null, requestId: 'r4', replacePrevious: true, details: { scale: 5, label: 'Dissatisfied', resolved: null } });
    expect(d.s.rating).toEqual({ score: 2, requestIds: ['r1', 'r4'] });
    expect(d.conversation.timer()).toEqual({ kind: 'ratingWindow', at: openUntil });
    d.fireTimer();
    expect(d.s.status).toBe('ended');
    expect(d.conversation.timer()).toBeNull();
    // a worker late for the window: judged by when the API accepted it
    expect(kindsOf(rate('r5', 3, openUntil))).toEqual(['storeRating', 'say:rating-result', 'project']);
  });

  it('"first counts": a second submission is stored, not counted, and not thanked', () => {
    const d = served({ rating: { policy: 'first' } });
    d.send({ type: 'close', by: 'visitor' });
    d.send({ type: 'rate', submission: { requestId: 'r1', score: 5, submittedAt: d.now } });
    expect(d.send({ type: 'rate', submission: { requestId: 'r2', score: 1, submittedAt: d.now } })).toEqual([
      { type: 'storeRating', score: 1, comment: null, requestId: 'r2', replacePrevious: false, counted: false, details: { scale: 5, label: 'Very dissatisfied', resolved: null } },
    ]);
    expect(d.s.rating).toEqual({ score: 5, requestIds: ['r1'] });
  });

  it('a rating that comes before the close opening its window waits for that close, briefly', () => {
    const d = served();
    expect(d.send({ type: 'rate', submission: { requestId: 'early', score: 5, submittedAt: d.now } })).toEqual([]);
    expect(kindsOf(d.send({ type: 'close', by: 'visitor' }))).toEqual(['project', 'say:end,rating-invite', 'release', 'storeRating', 'say:rating-result', 'project']);
    const late = served();
    late.send({ type: 'rate', submission: { requestId: 'stale', score: 5, submittedAt: late.now } });
    late.now += HELD_RATING_MS + 1;
    expect(kindsOf(late.send({ type: 'close', by: 'visitor' }))).toEqual(['project', 'say:end,rating-invite', 'release']);
  });

  it('a re-sent visitor message (an API retry) is handled once', () => {
    const d = new Driver(inputOf({ start: 'q', nodes: [{ id: 'q', type: 'form', config: { prompt: 'Name?', formType: 'text', variable: 'name' }, edges: [{ on: 'next', to: 'bye' }] }, { id: 'bye', type: 'end', config: { text: 'Bye ${name}.' } }] }));
    d.send({ type: 'started' });
    d.send({ type: 'visitorMessage', messageId: 'm1', text: 'Ada' });
    expect(d.s.status).not.toBe('bot');
    expect(d.send({ type: 'visitorMessage', messageId: 'm1', text: 'Ada' })).toEqual([]);
    expect(bodiesOf(d.commands).filter((b) => b.kind === 'end')).toEqual([{ kind: 'end', text: 'Bye Ada.', closedBy: 'flow' }]);
  });

  it('web hooks answer into the flow; a flow calling hooks in a loop ends after MAX_CHAINED_HTTP_CALLS', () => {
    const loop = new Driver(inputOf({ start: 'h', nodes: [{ id: 'h', type: 'http', config: { url: 'https://hook.example/x' }, edges: [{ on: 'next', to: 'h' }, { on: 'failure', to: 'h' }] }] }));
    loop.send({ type: 'started' });
    expect(loop.commands.filter((c) => c.type === 'callWebhook')).toHaveLength(MAX_CHAINED_HTTP_CALLS);
    expect(loop.s).toMatchObject({ status: 'ended', closedBy: 'flow' });
  });

  it('a hand-off failing in a loop without visitor input ends the flow', () => {
    const d = new Driver(inputOf({ start: 'q', nodes: [{ id: 'q', type: 'handoff', config: { teamId: null }, edges: [{ on: 'failed', to: 'q' }] }] }));
    d.send({ type: 'started' });
    for (let i = 0; i <= MAX_HANDOFF_FAILURES_WITHOUT_INPUT && d.s.status === 'queued'; i++) d.send({ type: 'handoffFailed' });
    expect(d.s).toMatchObject({ status: 'ended', closedBy: 'flow' });
    expect(d.commands.filter((c) => c.type === 'enqueue')).toHaveLength(MAX_HANDOFF_FAILURES_WITHOUT_INPUT + 1);
  });

  it('a transfer to a team requeues with a notice; the next agent is announced as a transfer', () => {
    const d = served();
    const requeued = d.send({ type: 'requeued', reason: 'transfer', teamId: 'sales', teamName: 'Sales' });
    expect(kindsOf(requeued)).toEqual(['project', 'say:transfer']);
    expect(d.s).toMatchObject({ status: 'queued', agentId: null, teamId: 'sales', chatKnownAt: null });
    expect(bodiesOf(d.send({ type: 'transferred', agentId: 'bob', agentName: 'Bob', teamId: 'sales' }))).toEqual([
      { kind: 'transfer', text: 'You have been transferred to Bob.', toAgentName: 'Bob' },
    ]);
  });

  it('chat timers read the transcript before firing: a visitor answer found there moves the deadline', () => {
    let chat = { visitorAt: null as number | null, agentAt: T0 + 1_000 as number | null };
    const driven = new Driver(inputOf(handoffFlow({ visitorReminderSec: 60, visitorTimeoutSec: 120 })), { chat: (now) => ({ type: 'chatRead', chat, readAt: now }) });
    driven.send({ type: 'started' });
    driven.send({ type: 'assigned', agentId: 'alice', agentName: 'Alice', teamId: 'support' });
    expect(driven.conversation.timer()).toMatchObject({ kind: 'chatCheck' });
    driven.fireTimer(); // reads the agent's message: the no-reply wait starts at it
    expect(driven.s.awaitingVisitorSince).toBe(T0 + 1_000);
    chat = { visitorAt: T0 + 30_000, agentAt: T0 + 1_000 };
    driven.fireTimer(); // the reminder was due, but the visitor answered
    expect(bodiesOf(driven.commands).filter((b) => b.kind === 'notice' && b.text === 'Are you still there?')).toEqual([]);
    expect(driven.s.awaitingVisitorSince).toBeNull();
    expect(driven.s.status).toBe('assigned');
  });

  it('the queue reminder repeats the position the desk last told, unless the desk just told it', () => {
    const d = new Driver(inputOf(handoffFlow({ queueReminderSec: 60 })), { standing: () => ({ type: 'queueStanding', position: 3, lastNoticeAt: T0 }) });
    d.send({ type: 'started' });
    expect(d.conversation.timer()).toEqual({ kind: 'queueReminder', at: T0 + 60_000 });
    d.fireTimer();
    expect(bodiesOf(d.commands).at(-1)).toMatchObject({ kind: 'queue', position: 3, waitNo: 2 });
  });
});
