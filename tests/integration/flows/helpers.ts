import { asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { messages, ratings } from '../../../db/schema.js';
import type { FlowDefinitionInput } from '../../../domain/flow/schema.js';
import type { ChatMessage, MessageBody } from '../../../domain/messages.js';
import type { ConversationStateEvent } from '../../../domain/contracts/events.js';
import type { ConversationStatus, ConversationSummary } from '../../../domain/conversation.js';
import { http, staffClient, visitorClient, type StaffClient, type VisitorClient } from '../../helpers/clients.js';
import { queueWhenNobodyOnline, type Stack } from '../../helpers/stack.js';

/** Helpers for the flow integration tests: flows are created and published through the admin API. */

export type NodeInput = FlowDefinitionInput['nodes'][number];
export type SettingsInput = NonNullable<FlowDefinitionInput['settings']>;

/**
 * A team whose only member (Bob) is offline: a hand-off to it waits in the queue. (A hand-off to a
 * team with no members at all fails at once, to the flow's "failed" branch.)
 */
export async function unstaffedTeam(stack: Stack, token: string, teamId: string): Promise<string> {
  const created = await http(stack.baseUrl, 'POST', '/api/teams', { token, body: { id: teamId, name: teamId } });
  if (created.status !== 201) throw new Error(`team: ${JSON.stringify(created.body)}`);
  const agents = await http<{ agents: Array<{ id: string; email: string; teamIds: string[] }> }>(stack.baseUrl, 'GET', '/api/agents', { token });
  const bob = agents.body.agents.find((a) => a.email === 'bob@parley.local')!;
  await http(stack.baseUrl, 'PATCH', `/api/agents/${bob.id}`, { token, body: { teamIds: [...bob.teamIds, teamId] } });
  return teamId;
}

export async function adminToken(stack: Stack): Promise<string> {
  const admin = await staffClient(stack.baseUrl, 'admin@parley.local');
  admin.close();
  return admin.token;
}

let flowCounter = 0;

/**
 * Creates a flow on a fresh channel through the admin API and publishes it, so each test can talk to
 * its own flow on one stack. Returns the channel to start visitors on.
 */
export async function publishFlow(stack: Stack, token: string, definition: FlowDefinitionInput): Promise<{ flowId: string; channel: string; version: number }> {
  const n = ++flowCounter;
  const flowId = `test-flow-${n}`;
  const channel = `ch-${n}`;
  const created = await http(stack.baseUrl, 'POST', '/api/flows', { token, body: { id: flowId, name: `Test flow ${n}`, channel, draft: definition } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const published = await http<{ version: number }>(stack.baseUrl, 'POST', `/api/flows/${flowId}/publish`, { token, body: {} });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
  return { flowId, channel, version: published.body.version };
}

/**
 * A flow starting at its first node; rating off unless the settings say otherwise. These flows test the
 * rating window's mechanics on bot-only conversations, so they invite without an agent unless a test asks
 * for issue 19's rule (`agentServedOnly: true`, the product default).
 */
export function flowOf(nodes: NodeInput[], settings: SettingsInput = {}, variables: string[] = []): FlowDefinitionInput {
  const rating = { enabled: false, agentServedOnly: false, ...settings.rating };
  return queueWhenNobodyOnline({ start: nodes[0].id, variables, nodes, settings: { ...settings, rating } });
}

export const msg = (id: string, text: string, next?: string): NodeInput =>
  ({ id, type: 'message', config: { text }, edges: next ? [{ on: 'next', to: next }] : [] });
export const end = (id: string, text?: string): NodeInput => ({ id, type: 'end', config: text === undefined ? {} : { text } });

export function visitorOn(stack: Stack, channel: string, name = 'Ada'): Promise<VisitorClient> {
  return visitorClient(stack.baseUrl, name, { channel });
}

/** The stored transcript, oldest first. */
export async function transcript(stack: Stack, conversationId: string): Promise<ChatMessage['body'][]> {
  const rows = await stack.database.db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(asc(messages.seq));
  return rows.map((r) => r.body);
}

/** What the visitor reads, one line per message, e.g. `text: Hi Ada`, `menu: Main menu`, `end(flow): Bye`. */
export function lines(bodies: MessageBody[]): string[] {
  return bodies.map((b) => {
    switch (b.kind) {
      case 'menu': return `menu: ${b.header}`;
      case 'form': return `form: ${b.prompt}`;
      case 'end': return `end(${b.closedBy}): ${b.text}`;
      case 'rating-result': return `rating-result: ${b.score}`;
      case 'file': return `file: ${b.name}`;
      default: return `${b.kind}: ${b.text}`;
    }
  });
}

/** Sends text (or a click) and returns once the API accepted it. */
export async function say(visitor: VisitorClient, text: string, choiceId?: string): Promise<void> {
  const ack = await visitor.send(text, choiceId);
  expect(ack, `sending "${text}"`).toMatchObject({ ok: true });
}

/** Waits for the visitor's `n`th message (1-based) of `kind` that matches `pred`, and returns its body. */
export async function nth<K extends MessageBody['kind']>(
  visitor: VisitorClient, kind: K, n: number, pred: (b: Extract<MessageBody, { kind: K }>) => boolean = () => true, ms?: number,
): Promise<Extract<MessageBody, { kind: K }>> {
  const matching = () => visitor.messages().map((m) => m.body)
      .filter((b): b is Extract<MessageBody, { kind: K }> => b.kind === kind && pred(b as Extract<MessageBody, { kind: K }>));
  await visitor.waitFor('message', () => matching().length >= n, ms);
  return matching()[n - 1];
}

/**
 * Resolves when the conversation reaches `status` as the visitor sees it: a live `conversation:state`
 * event, or the REST view (events sent before the visitor's socket joined are not replayed).
 */
export async function statusOf(stack: Stack, visitor: VisitorClient, status: ConversationStatus, ms = 20_000): Promise<ConversationSummary> {
  let heard = false;
  const live = visitor.waitFor<ConversationStateEvent>('conversation:state', (s) => s.status === status, ms).then(() => { heard = true; }, () => undefined);
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await http<ConversationSummary>(stack.baseUrl, 'GET', `/api/conversations/${visitor.conversation.id}`, { token: visitor.token });
    if (res.body.status === status) return res.body;
    if (Date.now() > deadline) throw new Error(`conversation never reached "${status}"; last seen ${JSON.stringify(res.body)}`);
    const pause = new Promise((r) => setTimeout(r, 100));
    await (heard ? pause : Promise.race([live, pause]));
  }
}

export async function storedRatings(stack: Stack, conversationId: string) {
  return stack.database.db.select().from(ratings).where(eq(ratings.conversationId, conversationId)).orderBy(asc(ratings.id));
}

/** Today's date and its neighbours in UTC (YYYY-MM-DD): a holiday list that is closed now even across midnight. */
export function datesAroundToday(): string[] {
  const day = 24 * 3600 * 1000;
  return [-1, 0, 1].map((d) => new Date(Date.now() + d * day).toISOString().slice(0, 10));
}

export const ALWAYS_OPEN = { timeZone: 'UTC', weekly: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })), holidays: [] };

/** A hand-off node to `teamId` (a team without agents keeps the visitor queued). */
export const handoffTo = (teamId: string): NodeInput => ({ id: 'handoff', type: 'handoff', config: { teamId, connected: 'You are chatting with ${agentName}.' } });
/** A hand-off straight away to team `support`. */
export const HANDOFF = handoffTo('support');

/** The agent (already online) takes the visitor's offered conversation; resolves once the visitor is told. */
export async function acceptOffer(agent: StaffClient, visitor: VisitorClient): Promise<void> {
  await agent.waitFor('offer', (o: { conversationId: string }) => o.conversationId === visitor.conversation.id);
  expect(await agent.accept(visitor.conversation.id)).toEqual({ ok: true });
  await visitor.waitForBody('notice', (n) => n.text.startsWith('You are chatting with'));
}

/** Milliseconds between two stored messages. */
export const gap = (a: { createdAt: string }, b: { createdAt: string }) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime();

/** For expect.poll on eventually consistent views (visibility, projections, the dispatcher); generous for a loaded CI box. */
export const POLL = { timeout: 15_000, interval: 100 };
