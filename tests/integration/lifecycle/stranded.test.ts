import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../../domain/conversation.js';
import type { ConversationStateEvent } from '../../../domain/contracts/events.js';
import type { FlowDefinitionInput } from '../../../domain/flow/schema.js';
import { emitAck, http, type VisitorClient } from '../../helpers/clients.js';
import { addFlow, startDesk, waitUntil, type Desk } from '../routing/helpers.js';

/**
 * Issue 16 item 6: a conversation whose workflow was terminated (failed, timed out) must not strand its
 * visitor or hold an agent's slot or a queue place. Found by the periodic reconciliation, or at once
 * when a visitor's or an agent's action meets the gone workflow.
 */

const CLOSE_TEXT = 'The conversation has ended. Thank you for contacting us.'; // the flows' default closeText

async function terminate(desk: Desk, conversationId: string) {
  await desk.stack.temporal.workflow.getHandle(`conversation-${conversationId}`).terminate('test: the operator terminated it');
}

/** What the visitor notices: the end notice, the ended state, and that a new conversation can be started (returned). */
async function expectEndedForVisitor(desk: Desk, v: VisitorClient, closedBy: string, channel: string): Promise<ConversationSummary> {
  await v.waitFor<ConversationStateEvent>('conversation:state', (s) => s.conversationId === v.conversation.id && s.status === 'ended');
  expect(await v.waitForBody('end')).toEqual({ kind: 'end', text: CLOSE_TEXT, closedBy });
  expect(await desk.row(v.conversation.id)).toMatchObject({ status: 'ended', closedBy });
  const again = await http<ConversationSummary>(desk.stack.baseUrl, 'POST', '/api/visitor/conversations', { token: v.token, body: { channel, new: true } });
  expect(again.status).toBe(200);
  expect(again.body.id).not.toBe(v.conversation.id);
  return again.body;
}

/** A flow that asks a question first, so the conversation waits with the bot for the visitor's answer. */
const QUESTION_FLOW: FlowDefinitionInput = {
  start: 'ask',
  nodes: [
    { id: 'ask', type: 'form', config: { prompt: 'Your order number?', formType: 'text', variable: 'order' }, edges: [{ on: 'next', to: 'bye' }] },
    { id: 'bye', type: 'end', config: { text: 'Thanks.' } },
  ],
  settings: { rating: { enabled: false } },
};

describe('stranded conversations: the periodic reconciliation', () => {
  let desk: Desk;
  beforeAll(async () => {
    desk = await startDesk({ reconcileIntervalMs: 1_000, routing: { serviceMode: 'automatic', agentsMayJoinQueued: false, queuePositionIntervalMs: 0 } });
  });
  afterAll(async () => { await desk?.close(); });

  it('an assigned conversation whose workflow was terminated frees its agent for the next visitor, and ends for its visitor', async () => {
    const team = await desk.team();
    const agent = await desk.agent({ teams: [team], max: 1 });
    const served = await desk.visitor({ team });
    await desk.assigned(served.conversation.id, agent.userId);
    const next = await desk.visitor({ team });
    await desk.waiting(next.conversation.id);

    await terminate(desk, served.conversation.id);

    await desk.assigned(next.conversation.id, agent.userId, 20_000);
    await agent.waitFor<ConversationSummary>('conversation:updated', (c) => c.id === served.conversation.id && c.status === 'ended');
    await expectEndedForVisitor(desk, served, 'system', team.channel);
  });

  it('a queued conversation whose workflow was terminated leaves the queue: the agent who comes online gets the next visitor', async () => {
    const team = await desk.team();
    const agent = await desk.agent({ teams: [team], max: 1, online: false });
    const first = await desk.visitor({ team });
    const second = await desk.visitor({ team });
    await desk.waiting(first.conversation.id);
    await desk.waiting(second.conversation.id);

    await terminate(desk, first.conversation.id);

    await waitUntil(async () => !(await desk.snapshot()).queue.some((e) => e.conversationId === first.conversation.id), 'the terminated conversation left the queue', 20_000);
    await expectEndedForVisitor(desk, first, 'system', team.channel);
    expect(await agent.setStatus('online')).toMatchObject({ ok: true });
    await desk.assigned(second.conversation.id, agent.userId);
    expect((await desk.snapshot()).agents[agent.userId]?.conversationIds).toEqual([second.conversation.id]);
  });
});

describe('stranded conversations: an action meets the gone workflow', () => {
  let desk: Desk;
  beforeAll(async () => {
    // No periodic pass here: what is repaired is repaired by the action itself.
    desk = await startDesk({ reconcileIntervalMs: 0, routing: { serviceMode: 'automatic', agentsMayJoinQueued: false, queuePositionIntervalMs: 0 } });
  });
  afterAll(async () => { await desk?.close(); });

  it('the agent closes it: it ends for the visitor and the slot goes to the next visitor', async () => {
    const team = await desk.team();
    const agent = await desk.agent({ teams: [team], max: 1 });
    const served = await desk.visitor({ team });
    await desk.assigned(served.conversation.id, agent.userId);
    const next = await desk.visitor({ team });
    await desk.waiting(next.conversation.id);
    await terminate(desk, served.conversation.id);

    expect(await agent.closeConversation(served.conversation.id)).toEqual({ ok: true });
    await desk.assigned(next.conversation.id, agent.userId);
    await expectEndedForVisitor(desk, served, 'agent', team.channel);
  });

  it('the visitor closes a queued one: the ack says so, it leaves the queue and the visitor can start anew', async () => {
    const team = await desk.team();
    const agent = await desk.agent({ teams: [team], max: 1, online: false });
    const waiting = await desk.visitor({ team });
    await desk.waiting(waiting.conversation.id);
    await terminate(desk, waiting.conversation.id);

    expect(await emitAck(waiting.socket, 'visitor:close', {})).toEqual({ ok: true });
    const again = await expectEndedForVisitor(desk, waiting, 'visitor', team.channel);
    expect((await desk.snapshot()).queue.map((e) => e.conversationId)).not.toContain(waiting.conversation.id);
    // The agent who comes online gets the visitor's new conversation, not the dead one.
    expect(await agent.setStatus('online')).toMatchObject({ ok: true });
    await desk.assigned(again.id, agent.userId);
  });

  it('the visitor answers the bot: the conversation ends instead of waiting forever', async () => {
    await addFlow(desk.stack, 'ch-question', QUESTION_FLOW);
    const v = await desk.visitor({ channel: 'ch-question' });
    await v.waitForBody('form');
    await terminate(desk, v.conversation.id);

    expect(await v.send('A-1234')).toMatchObject({ ok: true });
    await expectEndedForVisitor(desk, v, 'system', 'ch-question');
  });

  it('the visitor asks for a new conversation while the stranded one still shows open', async () => {
    const v = await desk.visitor({ channel: 'ch-question' });
    await v.waitForBody('form');
    await terminate(desk, v.conversation.id);

    const again = await http<ConversationSummary>(desk.stack.baseUrl, 'POST', '/api/visitor/conversations', { token: v.token, body: { channel: 'ch-question', new: true } });
    expect(again.status).toBe(200);
    expect(again.body.id).not.toBe(v.conversation.id);
    expect(await desk.row(v.conversation.id)).toMatchObject({ status: 'ended', closedBy: 'system' });
  });

  it('the agent accepts the offer of a conversation whose workflow is gone: the slot is free again at once', async () => {
    await desk.settings({ serviceMode: 'manual' }); // offers, accepted by the agent
    const team = await desk.team();
    const agent = await desk.agent({ teams: [team], max: 1 });
    const offered = await desk.visitor({ team });
    await agent.waitFor('offer', (o: { conversationId: string }) => o.conversationId === offered.conversation.id);
    await terminate(desk, offered.conversation.id);

    expect(await agent.accept(offered.conversation.id)).toEqual({ ok: true });
    const again = await expectEndedForVisitor(desk, offered, 'system', team.channel);
    // The agent (room for one) is offered the visitor's new conversation: the dead one holds nothing.
    await agent.waitFor('offer', (o: { conversationId: string }) => o.conversationId === again.id);
  });
});

describe('stranded conversations: one reconciler per desk across API processes', () => {
  let desk: Desk;
  beforeAll(async () => {
    desk = await startDesk({ apiProcesses: 2, reconcileIntervalMs: 500, routing: { serviceMode: 'automatic', agentsMayJoinQueued: false, queuePositionIntervalMs: 0 } });
  });
  afterAll(async () => { await desk?.close(); });

  /** Backends of this desk's database holding an advisory lock: the reconciler's leader. */
  async function leaders(): Promise<number[]> {
    const { rows } = await desk.stack.database.db.execute<{ pid: number }>(sql`
      select pid from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`);
    return rows.map((r) => r.pid);
  }

  it('exactly one API process reconciles; when its connection dies another pass still ends a stranded conversation', async () => {
    const [leader] = await waitUntil(async () => { const l = await leaders(); return l.length === 1 ? l : null; }, 'one reconciler holds the lock');
    await new Promise((r) => setTimeout(r, 1_500)); // several intervals of both processes
    expect(await leaders()).toEqual([leader]);

    await desk.stack.database.db.execute(sql`select pg_terminate_backend(${leader})`);
    await waitUntil(async () => { const l = await leaders(); return l.length === 1 && l[0] !== leader; }, 'a new leader holds the lock');

    const team = await desk.team();
    const agent = await desk.agent({ teams: [team], max: 1, api: 1 });
    const served = await desk.visitor({ team, api: 1 });
    await desk.assigned(served.conversation.id, agent.userId);
    await terminate(desk, served.conversation.id);
    await expectEndedForVisitor(desk, served, 'system', team.channel);
    expect((await leaders()).length).toBe(1);
  });
});
