/**
 * Scripted conversations. Each one drives a visitor (and, once queued, the agent serving it) through
 * a path of the fault flow and states the end it must reach: status `ended`, who closed it, the
 * rating stored, how many timeout messages. Every wait is bounded: a conversation that does not
 * move on is reported stuck with the step it was at.
 */
import type { ClosedBy, ChatMessage } from '../../../domain/messages.js';
import { AgentClient, Refused, sleep, Stuck, VisitorClient, errText, type ClientWorld, type Deadline } from './clients.js';
import { POISON, TEXT } from './flow.js';
import type { Profile } from './profile.js';
import type { Rng } from './rng.js';
import type { PresenceRow } from './verify.js';

export const KINDS = [
  'order-shipped', 'order-processing', 'order-failed', 'bye', 'idle',
  'agent-chat', 'transfer-accept', 'transfer-expire', 'visitor-timeout', 'visitor-close', 'poison',
] as const;
export type Kind = (typeof KINDS)[number];

export interface Expectation {
  closedBy: ClosedBy;
  /** Score that must be stored (set once the visitor's rating was acknowledged), else none. */
  rating: number | null;
  /** `timeout` messages (auto-close by a timer): exactly this many. */
  timeouts: number;
  /** Visitor reminders ("are you still there?"), when the scenario pins them down. */
  reminders?: number;
}

export interface ScenarioResult {
  index: number;
  kind: Kind;
  name: string;
  api: string;
  conversationId: string | null;
  expect: Expectation;
  /** `attemptAt`: first try; `windowEnd`: end of the window the invitation announced (epoch ms). */
  rating?: { score: number; outcome: 'ok' | 'refused'; message?: string; msBeforeWindowEnd: number; attemptAt: number; windowEnd: number };
  transfer?: 'accepted' | 'expired' | 'skipped';
  /** Set when the conversation got stuck or a step went wrong. */
  error: string | null;
  step: string;
  startedAt: number;
  finishedAt: number | null;
}

export interface World extends ClientWorld {
  profile: Profile;
  apiUrls: string[];
  agents: AgentClient[];
  agentById: Map<string, AgentClient>;
  /**
   * The desk projection in PostgreSQL, as the API reads it (throws while PostgreSQL is down). The
   * harness does not query the dispatcher while parts restart: that is what made it diverge (docs/faults.md).
   */
  presence(): Promise<PresenceRow[]>;
  /** Outcome of the conversation's transfer (`transferId`, else its latest one); null while none is recorded. */
  transferOutcome(conversationId: string, transferId: string | null): Promise<string | null>;
  /** Called each time a visitor has seen the main menu. */
  onMenu(): void;
}

/** `n` scenario kinds, each kind as evenly represented as possible, in seeded order. */
export function planKinds(n: number, rng: Rng): Kind[] {
  const out: Kind[] = [];
  while (out.length < n) out.push(...rng.shuffle(KINDS));
  return out.slice(0, n);
}

const bodyText = (m: ChatMessage) => ('text' in m.body ? m.body.text : '');

export async function runScenario(world: World, index: number, kind: Kind, rng: Rng): Promise<ScenarioResult> {
  const p = world.profile;
  const api = world.apiUrls[index % world.apiUrls.length];
  const name = `v${index}-${kind}`;
  const result: ScenarioResult = {
    index, kind, name, api, conversationId: null, expect: { closedBy: 'flow', rating: null, timeouts: 0 },
    error: null, step: 'open', startedAt: Date.now(), finishedAt: null,
  };
  const step = (s: string) => { result.step = s; world.log(`${name}: ${s}`); };
  const stepMs = p.stepTimeoutMs;
  const until = () => world.deadline(stepMs);
  let v: VisitorClient | null = null;

  /** The visitor writes: to the bot (flow input) unless `chat` (in the queue or to the agent). */
  const say = async (text: string, opts: { choiceId?: string; chat?: boolean } = {}) => {
    const r = await v!.send(text, until(), { choiceId: opts.choiceId, flowInput: !opts.chat, preferRest: rng.chance(0.3) });
    if (!r.acked) throw new Stuck(`"${text}" was never acknowledged: ${r.reason}`);
    return r;
  };
  const waitStatus = async (statuses: string[], ms: number) => {
    const deadline = world.deadline(ms);
    for (;;) {
      const s = await v!.summary(until());
      if (statuses.includes(s.status)) return s;
      if (deadline.passed()) throw new Stuck(`status stayed "${s.status}" (wanted ${statuses.join('/')})`);
      await sleep(1_000);
    }
  };
  /** Rates right after the invitation (inside the window): the rating must then be stored. */
  const rateNow = async (score: number, comment?: string) => {
    const invite = await v!.waitFor((m) => m.body.kind === 'rating-invite', stepMs, 'rating invitation');
    const validUntil = new Date((invite.body as { validUntil: string }).validUntil).getTime();
    const attemptAt = Date.now();
    const msBeforeWindowEnd = validUntil - attemptAt;
    step(`rate ${score} (${Math.round(msBeforeWindowEnd / 1000)} s left in the window)`);
    const r = await v!.rate(score, until(), { comment, preferRest: rng.chance(0.3) });
    const when = { msBeforeWindowEnd, attemptAt, windowEnd: validUntil };
    result.rating = r.ok ? { score, outcome: 'ok', ...when } : { score, outcome: 'refused', message: r.message, ...when };
    if (r.ok) {
      result.expect.rating = score;
      await v!.waitFor((m) => m.body.kind === 'rating-result', stepMs, 'rating thanks');
    }
  };
  const menu = () => v!.waitFor((m) => m.body.kind === 'menu' && m.body.nodeId === 'main', stepMs, 'main menu');

  try {
    v = await VisitorClient.open(world, [api, ...world.apiUrls.filter((u) => u !== api)], name, until());
    result.conversationId = v.conversationId;
    step(`conversation ${v.conversationId}`);
    await menu();
    world.onMenu();

    switch (kind) {
      case 'order-shipped':
      case 'order-processing':
      case 'order-failed': {
        step('track order');
        await say('Track my order', { choiceId: 'order' });
        const form = await v.waitFor((m) => m.body.kind === 'form' && m.body.nodeId === 'askOrder', stepMs, 'order form');
        if (rng.chance(0.5)) {
          step('invalid order number');
          await say('my order is abc');
          await v.waitFor((m) => m.seq > form.seq && bodyText(m) === TEXT.orderRule, stepMs, 'validation notice');
        }
        const orderId = `${kind === 'order-shipped' ? 1 : kind === 'order-failed' ? 5 : 2}${rng.int(100, 999)}`;
        step(`order ${orderId}`);
        await say(orderId);
        if (kind === 'order-shipped') {
          await v.waitFor((m) => bodyText(m) === `Order ${orderId} has shipped.`, stepMs, 'shipped message');
          await rateNow(5, 'fast');
        } else if (kind === 'order-processing') {
          await v.waitFor((m) => bodyText(m) === `Order ${orderId} is processing.`, stepMs, 'processing message');
        } else {
          await v.waitFor((m) => bodyText(m) === `We could not look up order ${orderId}.`, stepMs, 'lookup failure message');
        }
        await v.waitFor((m) => m.body.kind === 'end', stepMs, 'end message');
        step('wait for the rating window to close');
        await waitStatus(['ended'], p.timers.ratingValiditySec * 1000 + stepMs);
        if (kind === 'order-failed') {
          step('rate after the window');
          const when = { msBeforeWindowEnd: -1, attemptAt: Date.now(), windowEnd: 0 };
          const r = await v.rate(1, until());
          result.rating = r.ok ? { score: 1, outcome: 'ok', ...when } : { score: 1, outcome: 'refused', message: r.message, ...when };
          if (r.ok) result.expect.rating = 1; // verification then flags the rating stored after the window
        }
        break;
      }
      case 'bye':
        step('bye');
        await say('Nothing, thanks', { choiceId: rng.chance(0.5) ? 'bye' : undefined });
        await v.waitFor((m) => m.body.kind === 'end', stepMs, 'end message');
        await rateNow(3, 'ok');
        await waitStatus(['ended'], p.timers.ratingValiditySec * 1000 + stepMs);
        break;
      case 'poison': {
        // The input that crashed the worker under a backtracking engine, into a condition loop: this
        // conversation alone must end with the flow-error text; every other one carries on (verify).
        step('check a code');
        await say('Check my code', { choiceId: 'code' });
        await v.waitFor((m) => m.body.kind === 'form' && m.body.nodeId === 'askCode', stepMs, 'code form');
        step('poison answer');
        await say(POISON.input);
        await v.waitFor((m) => m.body.kind === 'notice' && bodyText(m) === TEXT.flowError, stepMs, 'flow-error notice');
        await v.waitFor((m) => m.body.kind === 'end', stepMs, 'end message');
        await waitStatus(['ended'], stepMs);
        break;
      }
      case 'idle':
        result.expect = { closedBy: 'timer', rating: null, timeouts: 1 };
        step('stay silent at the menu');
        await v.waitFor((m) => m.body.kind === 'timeout', (p.timers.waitingIdleSec * 1000) + stepMs, 'idle timeout');
        await waitStatus(['ended'], p.timers.ratingValiditySec * 1000 + stepMs);
        break;
      default:
        await agentScenario(world, v, kind, rng, result, { say, step, waitStatus, rateNow, until });
    }
    step('done');
  } catch (err) {
    result.error = `${err instanceof Stuck ? 'stuck' : 'error'} at "${result.step}": ${errText(err)}`;
    world.log(`${name}: ${result.error}`);
  } finally {
    v?.dispose();
    result.finishedAt = Date.now();
  }
  return result;
}

interface Steps {
  say(text: string, opts?: { choiceId?: string; chat?: boolean }): Promise<{ clientId: string }>;
  step(s: string): void;
  waitStatus(statuses: string[], ms: number): Promise<{ status: string; agentId: string | null; closedBy: string | null }>;
  rateNow(score: number, comment?: string): Promise<void>;
  until(): Deadline;
}

async function agentScenario(world: World, v: VisitorClient, kind: Kind, rng: Rng, result: ScenarioResult, s: Steps): Promise<void> {
  const p = world.profile;
  const stepMs = p.stepTimeoutMs;
  const cid = v.conversationId;
  result.expect = { closedBy: 'agent', rating: null, timeouts: 0 };

  s.step('ask for an agent');
  await s.say('Talk to an agent', { choiceId: rng.chance(0.5) ? 'agent' : undefined });
  await v.waitFor((m) => m.body.kind === 'form' && m.body.nodeId === 'topic', stepMs, 'topic form');
  await s.say(rng.pick(['Billing', 'Technical']));
  await v.waitFor((m) => m.body.kind === 'notice' && bodyText(m).startsWith('Connecting you'), stepMs, 'connecting notice');

  // In the queue: a real visitor writes now and then while waiting.
  s.step('queued');
  let holder = await waitForAgent(world, v, s, world.deadline(stepMs * 2));
  s.step(`served by ${holder.name}`);
  await holder.watch(cid, s.until());
  await chatRound(v, holder, cid, 1, s, stepMs);

  if (kind === 'transfer-accept' || kind === 'transfer-expire') {
    const accept = kind === 'transfer-accept';
    const outcome = await transfer(world, v, holder, accept, rng, s);
    result.transfer = outcome.result;
    holder = outcome.holder;
    s.step(`after transfer (${outcome.result}): served by ${holder.name}`);
    await holder.watch(cid, s.until());
    await chatRound(v, holder, cid, 2, s, stepMs);
  }

  switch (kind) {
    case 'visitor-timeout': {
      result.expect = { closedBy: 'timer', rating: null, timeouts: 1, reminders: 1 };
      s.step('agent asks, visitor stays silent');
      const asked = await holder.send(cid, 'Is there anything else?', s.until());
      if (!asked.acked) throw new Stuck(`agent question never acknowledged: ${asked.reason}`);
      await v.waitFor((m) => m.clientId === asked.clientId, stepMs, 'agent question');
      await v.waitFor((m) => m.body.kind === 'timeout', p.timers.visitorTimeoutSec * 1000 + stepMs, 'visitor timeout');
      break;
    }
    case 'visitor-close': {
      result.expect.closedBy = 'visitor';
      s.step('visitor closes');
      await v.close(s.until());
      await s.rateNow(2, 'meh');
      break;
    }
    default: {
      s.step(`${holder.name} closes`);
      await holder.close(cid, s.until());
      if (rng.chance(0.7)) await s.rateNow(4);
    }
  }
  s.step('wait for the rating window to close');
  await s.waitStatus(['ended'], p.timers.ratingValiditySec * 1000 + stepMs);
}

async function waitForAgent(world: World, v: VisitorClient, s: Steps, deadline: Deadline): Promise<AgentClient> {
  let nextPing = Date.now() + world.profile.queuePingMs;
  let pings = 0;
  for (;;) {
    const c = await v.summary(s.until());
    if (c.status === 'assigned' && c.agentId) {
      const agent = world.agentById.get(c.agentId);
      if (agent) return agent;
    }
    if (c.status === 'rating' || c.status === 'ended') throw new Stuck(`closed (by ${c.closedBy}) while waiting for an agent`);
    if (deadline.passed()) throw new Stuck(`no agent took the conversation (status ${c.status})`);
    if (Date.now() >= nextPing) {
      await s.say(`Still waiting (${++pings})`, { chat: true });
      nextPing = Date.now() + world.profile.queuePingMs;
    }
    await sleep(700);
  }
}

/** Agent writes, the visitor reads it and answers, the agent reads the answer. */
async function chatRound(v: VisitorClient, agent: AgentClient, cid: string, n: number, s: Steps, stepMs: number): Promise<void> {
  s.step(`chat round ${n} with ${agent.name}`);
  const a = await agent.send(cid, `Hello, ${agent.name} here (${n}). How can I help?`, s.until());
  if (!a.acked) throw new Stuck(`${agent.name}'s message never acknowledged: ${a.reason}`);
  await v.waitFor((m) => m.clientId === a.clientId, stepMs, `${agent.name}'s message`);
  const r = await s.say(`My question, part ${n}`, { chat: true });
  await agent.waitFor(cid, (m) => m.clientId === r.clientId, stepMs, 'visitor answer');
}

async function transfer(world: World, v: VisitorClient, holder: AgentClient, accept: boolean, rng: Rng, s: Steps): Promise<{ holder: AgentClient; result: 'accepted' | 'expired' | 'skipped' }> {
  const cid = v.conversationId;
  const p = world.profile;
  // Like an agent picking from the roster: the least busy colleagues first.
  const rows = await world.presence().catch(() => []);
  const load = (a: AgentClient) => {
    const view = rows.find((r) => r.agentId === a.userId);
    return view ? (view.conversationIds.length + view.offeredIds.length) / Math.max(1, view.maxConversations) : 1;
  };
  const targets = rng.shuffle(world.agents.filter((a) => a !== holder)).sort((a, b) => load(a) - load(b));
  for (const target of targets) {
    let transferId: string | null = null;
    target.transferRequests.delete(cid);
    s.step(`${holder.name} transfers to ${target.name} (${accept ? 'will accept' : 'will let it expire'})`);
    try {
      const res = await holder.transfer(cid, target.userId, s.until());
      transferId = res.transferId;
      if (res.outcome !== 'pending') throw new Error(`transfer outcome ${res.outcome} with confirmation on`);
    } catch (err) {
      // A retried request whose first attempt went through finds the transfer already waiting.
      if (!(err instanceof Refused)) throw err;
      if (!/already waiting/.test(err.message)) {
        world.log(`${v.name}: transfer to ${target.name} refused: ${err.message}`);
        continue;
      }
    }
    let answered = false;
    if (accept) {
      const deadline = Date.now() + p.routing.transferTimeoutSec * 1000;
      while (!target.transferRequests.has(cid) && Date.now() < deadline) await sleep(100);
      const req = target.transferRequests.get(cid);
      if (req) answered = (await target.answerTransfer(req.transferId, true, s.until())) === 'ok';
      else world.log(`${v.name}: ${target.name} never saw the transfer request (it will expire)`);
    }
    // The transfer is over once its outcome is recorded.
    const resolved = world.deadline(p.stepTimeoutMs);
    for (;;) {
      const outcome = await world.transferOutcome(cid, transferId).catch(() => null);
      if (outcome !== null && outcome !== 'pending') break;
      if (resolved.passed()) throw new Stuck('transfer never resolved');
      await sleep(500);
    }
    if (answered) {
      const reached = world.deadline(p.stepTimeoutMs);
      for (;;) {
        const c = await v.summary(s.until());
        if (c.agentId === target.userId) return { holder: target, result: 'accepted' };
        if (reached.passed()) throw new Stuck(`accepted transfer never reached the conversation (agent ${c.agentId})`);
        await sleep(500);
      }
    }
    return { holder, result: 'expired' };
  }
  return { holder, result: 'skipped' };
}
