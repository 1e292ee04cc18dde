import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, leftMessages, messages, visitors } from '../../../db/schema.js';
import type { ChannelAvailability } from '../../../domain/availability.js';
import type { ConversationStateEvent } from '../../../domain/contracts/events.js';
import type { FlowDefinitionInput } from '../../../domain/flow/schema.js';
import type { LeftMessage } from '../../../domain/left-messages.js';
import { socketClient, connected } from '../../../client/socket.js';
import { emitAck, http } from '../../helpers/clients.js';
import { addFlow, settle, startDesk, waitUntil, type Desk, type Team } from '../routing/helpers.js';

/**
 * Issue 19, when nobody can answer, on the real stack (Temporal, PostgreSQL, two API processes): the
 * channel's availability, leaving a message, the estimated wait, the wait limit, and queued visitors who left.
 */
process.env.WAIT_STATS_CACHE_MS = '0'; // the worker (started in this process) reads fresh service times
const CLOSED_ALWAYS = { timeZone: 'UTC', weekly: [], holidays: [] };

function flowFor(teamId: string, settings: FlowDefinitionInput['settings'] = {}): FlowDefinitionInput {
  return {
    start: 'handoff',
    nodes: [{ id: 'handoff', type: 'handoff', config: { teamId, connecting: 'Connecting you…' }, edges: [] }],
    settings: { rating: { enabled: false }, queueReminderSec: null, ...settings },
  };
}

describe('when nobody can answer', () => {
  let desk: Desk;
  beforeAll(async () => {
    desk = await startDesk({ apiProcesses: 2, routing: { serviceMode: 'automatic', queuePositionIntervalMs: 0 }, api: { availability: { cacheMs: 0, pollMs: 200, replyMinSamples: 1 } } });
  });
  afterAll(async () => { await desk?.close(); });

  /** A team whose channel's flow has these settings. */
  async function teamWith(settings: FlowDefinitionInput['settings'] = {}): Promise<Team> {
    const team = await desk.team();
    const channel = `${team.channel}-x`;
    await addFlow(desk.stack, channel, flowFor(team.id, settings));
    return { ...team, channel };
  }
  const availability = async (channel: string) => {
    const res = await http<ChannelAvailability>(desk.stack.baseUrl, 'GET', `/api/channels/${channel}/availability`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('a channel is offline with nobody signed in, away, then online (told live), and offline out of hours', async () => {
    const team = await teamWith({ offline: { whenNobodyOnline: 'queue' } });
    expect(await availability(team.channel)).toEqual({ channel: team.channel, status: 'offline', reason: 'nobodyOnline', typicalReplySec: null });
    const agent = await desk.agent({ teams: [team], online: false });
    expect(await agent.setStatus('away')).toMatchObject({ ok: true });
    await waitUntil(async () => (await availability(team.channel)).status === 'away', 'the channel is away');

    // A visitor of the channel follows it (on the other API process) and hears when it turns online.
    const visitor = await desk.visitor({ team, api: 1 });
    const followed = await emitAck<{ ok: boolean; availability: ChannelAvailability }>(visitor.socket, 'visitor:availability', { channel: team.channel });
    expect(followed).toMatchObject({ ok: true, availability: { status: 'away', reason: 'agentsAway' } });
    expect(await agent.setStatus('online')).toMatchObject({ ok: true });
    expect(await visitor.waitFor<ChannelAvailability>('channel:availability', (a) => a.channel === team.channel && a.status === 'online')).toMatchObject({ reason: 'agentsOnline' });

    // Served once, with a reply: "typically replies in" has a figure.
    await desk.assigned(visitor.conversation.id, agent.userId);
    expect(await agent.send(visitor.conversation.id, 'Hello!')).toMatchObject({ ok: true });
    const online = await waitUntil(async () => { const a = await availability(team.channel); return a.typicalReplySec !== null ? a : null; }, 'a typical reply time');
    expect(online).toMatchObject({ status: 'online', reason: 'agentsOnline' });
    expect(online.typicalReplySec).toBeGreaterThanOrEqual(0);
    expect(online.typicalReplySec).toBeLessThan(60);

    // The same team behind a closed timetable: offline, whoever is online.
    const closedChannel = `${team.channel}-closed`;
    await addFlow(desk.stack, closedChannel, flowFor(team.id, { workingHours: CLOSED_ALWAYS }));
    expect(await availability(closedChannel)).toMatchObject({ status: 'offline', reason: 'outOfHours' });
    expect((await http(desk.stack.baseUrl, 'GET', '/api/channels/no-such-channel/availability')).status).toBe(404);
    expect((await http(desk.stack.baseUrl, 'GET', '/api/channels/NOT_A_CHANNEL/availability')).status).toBe(400);
    await desk.retire();
  });

  it('with nobody online the hand-off offers to leave a message; it is stored, the conversation closes, staff list and handle it', async () => {
    const team = await teamWith();
    const agent = await desk.agent({ teams: [team], online: false }); // a member, not signed in (a team without members takes `failed`)
    const visitor = await desk.visitor({ team });
    expect(await visitor.waitForBody('leave-message')).toMatchObject({ reason: 'nobodyOnline' });
    await desk.status(visitor.conversation.id, 'bot');

    const post = (body: unknown, token = visitor.token) => http<any>(desk.stack.baseUrl, 'POST', '/api/visitor/left-message', { token, body });
    for (const bad of [{ name: 'Ada', message: 'Call me' }, { name: '', email: 'ada@example.com', message: 'x' }, { name: 'Ada', email: 'nope', message: 'x' }]) {
      expect((await post(bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect(await desk.stack.database.db.select().from(leftMessages).where(eq(leftMessages.conversationId, visitor.conversation.id))).toEqual([]);

    const sent = await post({ name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0958', message: 'Please call me about my order.' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.leftMessage).toMatchObject({ conversationId: visitor.conversation.id, channel: team.channel, reason: 'nobodyOnline', name: 'Ada Lovelace', handledAt: null });
    expect(sent.body.conversation).toMatchObject({ status: 'ended', closedBy: 'left-message' });
    expect(await visitor.waitForBody('end')).toMatchObject({ closedBy: 'left-message', text: 'Thank you, we received your message and will get back to you soon.' });
    expect((await post({ name: 'Ada', email: 'ada@example.com', message: 'again' })).status).toBe(409); // closed now

    const list = async (status: string) => (await http<{ leftMessages: LeftMessage[] }>(desk.stack.baseUrl, 'GET', `/api/left-messages?status=${status}`, { token: agent.token })).body.leftMessages;
    expect((await list('open')).map((m) => m.id)).toContain(sent.body.leftMessage.id);
    const handled = await http<LeftMessage>(desk.stack.baseUrl, 'PUT', `/api/left-messages/${sent.body.leftMessage.id}/handled`, { token: agent.token, body: { handled: true } });
    expect(handled.body).toMatchObject({ handledBy: agent.userId, handledByName: agent.name });
    expect((await list('open')).map((m) => m.id)).not.toContain(sent.body.leftMessage.id);
    expect((await list('handled')).map((m) => m.id)).toContain(sent.body.leftMessage.id);
    expect((await http(desk.stack.baseUrl, 'GET', '/api/left-messages', { token: visitor.token })).status).toBe(403);
    await desk.retire();
  });

  it('a visitor whose conversation does not offer it cannot leave a message', async () => {
    const team = await teamWith({ offline: { whenNobodyOnline: 'queue', waitLimitSec: null } });
    await desk.agent({ teams: [team], online: false });
    const visitor = await desk.visitor({ team });
    await desk.waiting(visitor.conversation.id);
    const res = await http<any>(desk.stack.baseUrl, 'POST', '/api/visitor/left-message', { token: visitor.token, body: { name: 'Ada', email: 'ada@example.com', message: 'Hi' } });
    expect(res.status).toBe(409);
    await desk.stack.temporal.workflow.getHandle(visitor.conversation.workflowId).terminate('test done');
  });

  it('the queue tells an estimated wait from recent service times, and past the wait limit offers to leave a message', async () => {
    // Conversations served for two minutes each, just ended.
    const db = desk.stack.database.db;
    const visitorId = randomUUID();
    await db.insert(visitors).values({ id: visitorId, displayName: 'Earlier' });
    for (let i = 0; i < 7; i++) { // more than the conversations the tests above served, so the median is theirs
      const id = randomUUID();
      const ended = new Date(Date.now() - 1000);
      await db.insert(conversations).values({ id, workflowId: `conversation-${id}`, visitorId, channel: 'history', status: 'ended', flowId: 'x', flowVersion: 1, agentId: randomUUID(), endedAt: ended });
      await db.insert(messages).values({ id: randomUUID(), conversationId: id, sender: 'agent', body: { kind: 'text', text: 'hi' }, createdAt: new Date(ended.getTime() - 120_000) });
    }
    const team = await teamWith({ queueText: 'You are number ${QueuePosition}. Estimated wait: ${EstimatedWait}.', offline: { waitLimitSec: 3 } });
    await desk.agent({ teams: [team], max: 0 }); // signed in, no room: visitors wait
    const visitor = await desk.visitor({ team });
    expect(await visitor.waitForBody('queue', (b) => b.position === 1)).toMatchObject({ text: 'You are number 1. Estimated wait: about 2 minutes.' });
    const state = await visitor.waitFor<ConversationStateEvent>('conversation:state', (s) => s.status === 'queued' && typeof s.estimatedWaitSec === 'number');
    expect(state.estimatedWaitSec).toBe(120);

    // Past the limit: offered, still in the queue; accepting leaves it.
    expect(await visitor.waitForBody('leave-message')).toMatchObject({ reason: 'waitLimit' });
    await settle(300);
    expect((await desk.snapshot()).queue.map((e) => e.conversationId)).toContain(visitor.conversation.id);
    const sent = await http<any>(desk.stack.baseUrl, 'POST', '/api/visitor/left-message', { token: visitor.token, body: { name: 'Bo', phone: '555 0100 22', message: 'Too long, call me.' } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.leftMessage.reason).toBe('waitLimit');
    await waitUntil(async () => !(await desk.snapshot()).queue.some((e) => e.conversationId === visitor.conversation.id), 'the visitor left the queue');
    await desk.retire();
  });

  it('a queued visitor who closed the page is dropped after the grace period; one back within it (on another API process) keeps the place', async () => {
    const team = await teamWith({ offline: { queueDropGraceSec: 2, waitLimitSec: null } });
    await desk.agent({ teams: [team], max: 0 });
    const gone = await desk.visitor({ team });
    const back = await desk.visitor({ team });
    await desk.waiting(gone.conversation.id);
    await desk.waiting(back.conversation.id);

    gone.close();
    back.close();
    await settle(500);
    const again = await connected(socketClient(desk.stack.baseUrls[1], back.token, { forceNew: true }));
    try {
      const row = await desk.status(gone.conversation.id, 'ended', 10_000);
      expect(row.closedBy).toBe('visitor');
      await waitUntil(async () => !(await desk.snapshot()).queue.some((e) => e.conversationId === gone.conversation.id), 'the visitor who left is out of the queue');
      await settle(2_500); // past the grace of the one who came back
      expect((await desk.row(back.conversation.id)).status).toBe('queued');
      expect((await desk.snapshot()).queue.map((e) => e.conversationId)).toContain(back.conversation.id);
    } finally {
      again.close();
    }
    await desk.retire();
  });
});
