import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlowDefinitionInput } from '../../../domain/flow/schema.js';
import type { CommandAnswer, ConversationCommand, ConversationEvent } from '../../../domain/conversation/events.js';
import { flowArb, inputArb } from '../../helpers/flow-arbitraries.js';
import { bodiesOf, Driver, inputOf } from './driver.js';

const AGENTS = ['alice', 'bob'];
const OPEN = new Set(['bot', 'queued', 'offered', 'assigned']);

type Step = { kind: 'event'; event: ConversationEvent; advanceMs: number } | { kind: 'timer' };

const eventArb: fc.Arbitrary<ConversationEvent> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(inputArb, fc.nat(5)).map(([input, n]) => ({ type: 'visitorMessage' as const, messageId: `m${n}`, ...input })) },
  fc.record({ type: fc.constant('offered' as const), agentId: fc.constantFrom(...AGENTS), agentName: fc.constant('Agent') }),
  { weight: 2, arbitrary: fc.record({ type: fc.constantFrom('assigned' as const, 'transferred' as const), agentId: fc.constantFrom(...AGENTS), agentName: fc.constant('Agent'), teamId: fc.constantFrom(null, 'sales') }) },
  fc.record({ type: fc.constant('requeued' as const), reason: fc.constantFrom('transfer', 'expired'), teamId: fc.constantFrom(null, 'sales') }),
  fc.record({ type: fc.constant('queuePosition' as const), position: fc.integer({ min: 1, max: 3 }), waitNo: fc.nat(2) }),
  fc.constant({ type: 'handoffFailed' as const }),
  fc.record({ type: fc.constant('close' as const), by: fc.constantFrom('visitor' as const, 'agent' as const, 'admin' as const), releasedAtDesk: fc.boolean() }),
  { weight: 2, arbitrary: fc.record({ type: fc.constant('rate' as const), submission: fc.record({ requestId: fc.constantFrom('r1', 'r2', 'r3'), score: fc.integer({ min: 0, max: 6 }), submittedAt: fc.integer({ min: -5_000, max: 90_000 }) }) }) },
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('event' as const), event: eventArb, advanceMs: fc.integer({ min: 0, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'timer' as const }) },
);

const caseArb = fc.record({
  flow: flowArb({ maxNodes: 6 }),
  rating: fc.record({ enabled: fc.boolean(), policy: fc.constantFrom('first' as const, 'last' as const), afterAutoClose: fc.boolean(), validitySec: fc.integer({ min: 1, max: 60 }) }),
  steps: fc.array(stepArb, { maxLength: 40 }),
  webhookOk: fc.boolean(),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

interface Run { driver: Driver; statuses: string[]; commands: ConversationCommand[]; submittedAt: Map<string, number[]> }

/** Plays a case through the machine, then closes the conversation and lets every timer run out. */
function play({ flow, rating, steps, webhookOk }: Case): Run {
  const definition: FlowDefinitionInput = {
    ...flow,
    settings: { ...flow.settings, rating, visitorReminderSec: 20, visitorTimeoutSec: 40, assignedIdleSec: 60, waitingIdleSec: 90, queueReminderSec: 30 },
  };
  let toldAt: number | null = null;
  const driver = new Driver(inputOf(definition), {
    webhook: (): CommandAnswer => ({ type: 'webhookResult', outcome: webhookOk ? { ok: true, body: { a: 'x' } } : { ok: false, error: 'down' } }),
    standing: (): CommandAnswer => ({ type: 'queueStanding', position: 2, lastNoticeAt: toldAt }),
    chat: (now): CommandAnswer => ({ type: 'chatRead', chat: { visitorAt: null, agentAt: now - 1 }, readAt: now }),
  });
  const statuses: string[] = [];
  const submittedAt = new Map<string, number[]>();
  const at = (ms: number) => ms + driver.now;
  driver.send({ type: 'started' });
  statuses.push(driver.s.status);
  for (const step of steps) {
    if (step.kind === 'timer') {
      driver.fireTimer();
    } else {
      driver.sleptAt = driver.now;
      driver.now += step.advanceMs;
      const event = step.event.type === 'rate' ? { ...step.event, submission: { ...step.event.submission, submittedAt: at(step.event.submission.submittedAt - 20_000) } } : step.event;
      if (event.type === 'rate') submittedAt.set(event.submission.requestId, [...(submittedAt.get(event.submission.requestId) ?? []), event.submission.submittedAt]);
      driver.send(event);
    }
    toldAt = driver.now;
    statuses.push(driver.s.status);
  }
  driver.send({ type: 'close', by: 'visitor' });
  statuses.push(driver.s.status);
  for (let i = 0; i < 5 && driver.fireTimer(); i++) statuses.push(driver.s.status);
  return { driver, statuses, commands: driver.commands, submittedAt };
}

describe('conversation state machine: properties', () => {
  it('a closed conversation never reopens, and every run ends in exactly one close', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const { driver, statuses, commands } = play(c);
      const firstClosed = statuses.findIndex((s) => !OPEN.has(s));
      expect(firstClosed).toBeGreaterThanOrEqual(0);
      expect(statuses.slice(firstClosed).every((s) => !OPEN.has(s))).toBe(true);
      expect(statuses.slice(statuses.indexOf('ended')).every((s) => s === 'ended')).toBe(true);
      expect(driver.s.status).toBe('ended');
      expect(bodiesOf(commands).filter((b) => b.kind === 'end')).toHaveLength(1);
      expect(bodiesOf(commands).filter((b) => b.kind === 'rating-invite').length).toBeLessThanOrEqual(1);
      // nothing enqueues after the close
      const closeAt = commands.findIndex((cmd) => cmd.type === 'say' && cmd.messages.some((m) => m.body.kind === 'end'));
      expect(commands.slice(closeAt).filter((cmd) => cmd.type === 'enqueue' || cmd.type === 'callWebhook')).toEqual([]);
    }), { numRuns: 300 });
  });

  it('a rating counts at most once per submission, only within the window, and under "first counts" only once', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const { driver, commands, submittedAt } = play(c);
      const stored = commands.filter((cmd) => cmd.type === 'storeRating');
      const counted = stored.filter((cmd) => cmd.counted !== false);
      expect(new Set(counted.map((cmd) => cmd.requestId)).size).toBe(counted.length);
      for (const cmd of stored) expect(Number.isInteger(cmd.score) && cmd.score >= 1 && cmd.score <= 5).toBe(true);
      if (!c.rating.enabled || driver.s.ratingOpenUntil === null) expect(stored).toEqual([]);
      // each one stored was accepted by the API (submitted) within the window
      for (const cmd of stored) expect(submittedAt.get(cmd.requestId)?.some((t) => t <= driver.s.ratingOpenUntil!)).toBe(true);
      if (c.rating.policy === 'first') expect(counted.length).toBeLessThanOrEqual(1);
      expect(driver.s.rating?.score ?? null).toBe(counted.at(-1)?.score ?? null);
      const thanks = bodiesOf(commands).filter((b) => b.kind === 'rating-result');
      expect(thanks).toHaveLength(counted.length);
    }), { numRuns: 300 });
  });

  it('timers: none once ended, only the rating window once closed', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const definition = inputOf({ ...c.flow, settings: { ...c.flow.settings, rating: c.rating } });
      const driver = new Driver(definition);
      driver.send({ type: 'started' });
      for (const step of c.steps) {
        if (step.kind === 'timer') driver.fireTimer();
        else { driver.now += step.advanceMs; driver.send(step.event); }
        const timer = driver.conversation.timer();
        if (driver.s.status === 'ended') expect(timer).toBeNull();
        if (driver.s.status === 'rating') expect(timer?.kind).toBe('ratingWindow');
      }
    }), { numRuns: 200 });
  });

  it('projections carry increasing revisions and messages unique client ids', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const { commands } = play(c);
      const revisions = commands.flatMap((cmd) => (cmd.type === 'project' ? [cmd.projection.revision] : cmd.type === 'say' && cmd.projection ? [cmd.projection.revision] : []));
      expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
      expect(new Set(revisions).size).toBe(revisions.length);
      const ids = commands.flatMap((cmd) => (cmd.type === 'say' ? cmd.messages.map((m) => m.clientId) : []));
      expect(new Set(ids).size).toBe(ids.length);
    }), { numRuns: 200 });
  });

  it('is deterministic: the same events give the same commands and state', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const a = play(c);
      const b = play(c);
      expect(JSON.stringify(b.commands)).toBe(JSON.stringify(a.commands));
      expect(b.driver.s).toEqual(a.driver.s);
    }), { numRuns: 100 });
  });
});
