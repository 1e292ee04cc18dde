import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../../db/schema.js';
import { closeHeldUpdate, releaseUpdate } from '../../../domain/contracts/dispatcher-workflow.js';
import { emitAck } from '../../helpers/clients.js';
import { startDesk, waitUntil, type Desk, type Team } from './helpers.js';
import type { VisitorClient } from '../../helpers/clients.js';
import type { ConversationStateEvent } from '../../../domain/contracts/events.js';

/** The waiting queue: FIFO per team, VIP first, positions told, who sees it, joining, assigning, closing. */
describe('routing: queue', () => {
  let desk: Desk;
  // Every position change is told at once here (interval 0); the coalescing test below sets an interval.
  beforeAll(async () => { desk = await startDesk({ routing: { serviceMode: 'automatic', agentsMayJoinQueued: false, queuePositionIntervalMs: 0 } }); });
  afterAll(async () => { await desk?.close(); });

  /** Positions the visitor was told, in order, from the stored transcript. */
  async function told(v: VisitorClient): Promise<number[]> {
    const rows = await desk.stack.database.db.select().from(messages).where(eq(messages.conversationId, v.conversation.id)).orderBy(asc(messages.seq));
    return rows.flatMap((r) => (r.body.kind === 'queue' ? [r.body.position] : []));
  }
  /** Releases the conversation sent the desk (its own close's backstop), in the desk's current run. */
  async function releasesFor(conversationId: string): Promise<number> {
    const history = await desk.stack.temporal.workflow.getHandle(`dispatcher-${desk.stack.deskId}`).fetchHistory();
    const names = (payload: Payload | undefined) =>
      payload && defaultPayloadConverter.fromPayload<{ conversationId: string }>(payload).conversationId === conversationId;
    return (history.events ?? []).filter((e) => {
      const update = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
      return update?.name === releaseUpdate.name && names(update.args?.payloads?.[0] ?? undefined);
    }).length;
  }

  /** An agent with room for one, serving one visitor, and the next visitor of its team waiting first in line. */
  async function agentAtCapacityWithOneWaiting() {
    const team = await desk.team();
    const agent = await desk.agent({ teams: [team], max: 1 });
    const served = await desk.visitor({ team });
    await desk.assigned(served.conversation.id, agent.userId);
    const next = await desk.visitor({ team });
    await queueAt(next, 1);
    return { team, agent, served, next };
  }

  const queueAt = (v: VisitorClient, position: number) =>
    v.waitForBody('queue', (b) => b.position === position && b.waitNo === position - 1 && b.text === `You are number ${position} in the queue (${position - 1} ahead of you).`);
  /** Visitors queued one after the other (each waits for its place, so arrival order is theirs). */
  async function line(team: Team, n: number): Promise<VisitorClient[]> {
    const out: VisitorClient[] = [];
    for (let i = 1; i <= n; i++) {
      const v = await desk.visitor({ team });
      await queueAt(v, i);
      out.push(v);
    }
    return out;
  }

  it('serves each team first come, first served, VIPs first, telling positions only when they change', async () => {
    const team = await desk.team();
    const agent = await desk.agent({ teams: [team], max: 0 });
    const v1 = await desk.visitor({ team, name: 'One' });
    await queueAt(v1, 1);
    const v2 = await desk.visitor({ team, name: 'Two' });
    await queueAt(v2, 2);
    // another team's queue counts separately
    const other = await desk.team();
    await desk.agent({ teams: [other], online: false }); // a team with nobody at all fails the hand-off at once
    const o1 = await desk.visitor({ team: other });
    await queueAt(o1, 1);
    const vip = await desk.visitor({ team, name: 'Vip', vip: true });
    await queueAt(vip, 1);
    await queueAt(v1, 2);
    await queueAt(v2, 3);
    const v3 = await desk.visitor({ team, name: 'Three' });
    await queueAt(v3, 4);
    expect((await desk.snapshot()).queue.find((e) => e.conversationId === vip.conversation.id)).toMatchObject({ vip: true });

    // one at a time: raise the limit to 1, then close each conversation as it arrives
    expect((await desk.api(`/api/agents/${agent.userId}`, 'PATCH', { maxConversations: 1 })).status).toBe(200);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const snap = await desk.agentView(agent.userId, (a) => a.conversationIds.length === 1, 'the agent holds the next conversation');
      const id = snap.conversationIds[0];
      order.push(id);
      await desk.assigned(id, agent.userId);
      expect(await agent.closeConversation(id)).toEqual({ ok: true });
      await desk.agentView(agent.userId, (a) => !a.conversationIds.includes(id), 'released');
    }
    expect(order).toEqual([vip, v1, v2, v3].map((v) => v.conversation.id));
    expect(await told(v1)).toEqual([1, 2, 1]);
    expect(await told(v2)).toEqual([2, 3, 2, 1]);
    expect(await told(v3)).toEqual([4, 3, 2, 1]);
    expect(await told(vip)).toEqual([1]);
    expect(await told(o1)).toEqual([1]);
  });

  it('with an interval, a burst of queue changes tells each visitor only its latest position', async () => {
    await desk.settings({ queuePositionIntervalMs: 1500 });
    try {
      const team = await desk.team();
      const agent = await desk.agent({ teams: [team], max: 0 });
      const [a1, a2, a3, a4] = await line(team, 4);
      // three assignments in three dispatcher turns within the interval: a4 moves 4 → 3 → 2 → 1 and is told 1 only
      for (const max of [1, 2, 3]) expect((await desk.api(`/api/agents/${agent.userId}`, 'PATCH', { maxConversations: max })).status).toBe(200);
      await queueAt(a4, 1);
      expect(await told(a4)).toEqual([4, 1]);
      for (const v of [a1, a2, a3]) expect(await desk.assigned(v.conversation.id)).toBe(agent.userId);
    } finally {
      await desk.settings({ queuePositionIntervalMs: 0 });
    }
  });

  it('shows agents only their teams\' queues (admins all); a visitor who leaves frees its place', async () => {
    const team = await desk.team();
    const other = await desk.team();
    await desk.agent({ teams: [other], online: false });
    const agent = await desk.agent({ teams: [team], max: 0 });
    const [a1, a2, a3] = await line(team, 3);
    const b1 = await desk.visitor({ team: other });
    await queueAt(b1, 1);

    const mine = await desk.api('/api/queue', 'GET', undefined, agent.token);
    expect(mine.status).toBe(200);
    const ids = (q: Array<{ conversationId: string }>) => q.map((e) => e.conversationId);
    expect(ids(mine.body.queue)).toEqual(expect.arrayContaining([a1, a2, a3].map((v) => v.conversation.id)));
    expect(ids(mine.body.queue)).not.toContain(b1.conversation.id);
    expect(mine.body.queue.filter((e: { teamId: string }) => e.teamId === team.id).map((e: { position: number }) => e.position)).toEqual([1, 2, 3]);
    const all = await desk.api('/api/queue');
    expect(ids(all.body.queue)).toEqual(expect.arrayContaining([...[a1, a2, a3, b1].map((v) => v.conversation.id)]));
    expect((await desk.api('/api/queue', 'GET', undefined, a1.token)).status).toBe(403);

    // the second visitor gives up
    expect(await emitAck(a2.socket, 'visitor:close', {})).toEqual({ ok: true });
    await desk.status(a2.conversation.id, 'ended');
    await queueAt(a3, 2);
    const snap = await desk.snapshot();
    expect(snap.queue.map((e) => e.conversationId)).not.toContain(a2.conversation.id);
    expect(await told(a1)).toEqual([1]); // unchanged, not told again
  });

  it('an agent who closes a conversation gets the next waiting visitor at once; the conversation ends once, by that agent', async () => {
    const { team, agent, served, next } = await agentAtCapacityWithOneWaiting();

    expect(await agent.closeConversation(served.conversation.id)).toEqual({ ok: true });
    await desk.assigned(next.conversation.id, agent.userId);
    await served.waitForBody('end', (b) => b.closedBy === 'agent');
    expect(await desk.row(served.conversation.id)).toMatchObject({ status: 'ended', closedBy: 'agent', agentId: agent.userId });
    expect((await desk.snapshot()).agents[agent.userId]).toMatchObject({ conversationIds: [next.conversation.id] });
    // closed by the desk's word and by the agent's request alike, it ends once
    const rows = await desk.stack.database.db.select().from(messages).where(eq(messages.conversationId, served.conversation.id));
    expect(rows.filter((r) => r.body.kind === 'end')).toHaveLength(1);
    // the desk freed the slot itself: the conversation sends it no release of its own
    expect(await releasesFor(served.conversation.id)).toBe(0);

    // again, or someone else's: a clear error, and nothing changes
    expect(await agent.closeConversation(served.conversation.id)).toEqual({ ok: false, error: expect.objectContaining({ message: 'This conversation is already closed' }) });
    const stranger = await desk.agent({ teams: [team], max: 1 });
    expect(await stranger.closeConversation(next.conversation.id)).toMatchObject({ ok: false });
    expect(await desk.row(next.conversation.id)).toMatchObject({ status: 'assigned', agentId: agent.userId });
    expect((await desk.snapshot()).agents[agent.userId]).toMatchObject({ conversationIds: [next.conversation.id] });
    await desk.retire();
  });

  it('a close the desk took while the API died before telling the conversation still ends it, and frees the slot once', async () => {
    const { agent, served, next } = await agentAtCapacityWithOneWaiting();

    // what the API sends first when the serving agent closes; the conversation's own close never comes
    await desk.stack.temporal.workflow.getHandle(`dispatcher-${desk.stack.deskId}`)
      .executeUpdate(closeHeldUpdate, { args: [{ agentId: agent.userId, conversationId: served.conversation.id }] });
    await served.waitForBody('end', (b) => b.closedBy === 'agent');
    await desk.assigned(next.conversation.id, agent.userId);
    expect(await desk.row(served.conversation.id)).toMatchObject({ closedBy: 'agent' });
    expect((await desk.snapshot()).agents[agent.userId]).toMatchObject({ conversationIds: [next.conversation.id] });

    // a visitor who leaves is released by the conversation itself
    expect(await emitAck(next.socket, 'visitor:close', {})).toEqual({ ok: true });
    await desk.agentView(agent.userId, (a) => a.conversationIds.length === 0, 'the agent holds nothing after the visitor left');
    expect(await releasesFor(next.conversation.id)).toBe(1);
    expect(await releasesFor(served.conversation.id)).toBe(0);
    await desk.retire();
  });

  it('agents join queued conversations by hand only when allowed (and only their teams\'); admins join, assign and close', async () => {
    const team = await desk.team();
    const other = await desk.team();
    await desk.agent({ teams: [other], online: false });
    const agent = await desk.agent({ name: 'Joiner', teams: [team], max: 1 });
    const helper = await desk.agent({ name: 'Helper', teams: [team], max: 1 });
    for (const a of [agent, helper]) expect(await a.setStatus('busy')).toMatchObject({ ok: true }); // busy: nothing automatic
    const [q1, q2, q3] = await line(team, 3);
    const [foreign] = await line(other, 1);

    const refused = await desk.api(`/api/conversations/${q2.conversation.id}/join`, 'POST', {}, agent.token);
    expect(refused).toMatchObject({ status: 403, body: { error: { message: 'Agents may not take queued conversations by hand on this desk' } } });

    await desk.settings({ agentsMayJoinQueued: true });
    const notMyTeam = await desk.api(`/api/conversations/${foreign.conversation.id}/join`, 'POST', {}, agent.token);
    expect(notMyTeam.status).toBe(403);
    const joined = await desk.api(`/api/conversations/${q2.conversation.id}/join`, 'POST', {}, agent.token);
    expect(joined).toMatchObject({ status: 200, body: { ok: true } });
    expect((await desk.row(q2.conversation.id))).toMatchObject({ status: 'assigned', agentId: agent.userId });
    await q2.waitForBody('notice', (b) => b.text === 'You are now chatting with Joiner.');
    await queueAt(q3, 2);
    const full = await desk.api(`/api/conversations/${q1.conversation.id}/join`, 'POST', {}, agent.token);
    expect(full).toMatchObject({ status: 409, body: { error: { message: 'Joiner is at the maximum number of conversations' } } });
    const gone = await desk.api(`/api/conversations/${q2.conversation.id}/join`, 'POST', {}, helper.token);
    expect(gone).toMatchObject({ status: 409, body: { error: { message: 'This conversation is not waiting in the queue' } } });

    // admin assigns q1 to the helper; an offline agent cannot be given one
    expect((await desk.api(`/api/conversations/${q1.conversation.id}/assign`, 'POST', { agentId: helper.userId }, agent.token)).status).toBe(403);
    const offline = await desk.agent({ teams: [team], online: false });
    const toOffline = await desk.api(`/api/conversations/${q1.conversation.id}/assign`, 'POST', { agentId: offline.userId });
    expect(toOffline).toMatchObject({ status: 409, body: { error: { message: 'The agent is offline' } } });
    expect((await desk.api(`/api/conversations/${q1.conversation.id}/assign`, 'POST', { agentId: helper.userId })).status).toBe(200);
    expect(await desk.row(q1.conversation.id)).toMatchObject({ status: 'assigned', agentId: helper.userId });

    // the admin joins q3 (as a busy admin) and closes the foreign team's queued conversation
    const admin = await import('../../helpers/clients.js').then((m) => m.staffClient(desk.stack.baseUrl, 'admin@parley.local'));
    desk.clients.push(admin);
    expect(await admin.setStatus('busy')).toMatchObject({ ok: true });
    expect((await desk.api(`/api/conversations/${q3.conversation.id}/join`, 'POST', {})).status).toBe(200);
    expect(await desk.row(q3.conversation.id)).toMatchObject({ status: 'assigned', agentId: desk.adminId });
    const closed = await desk.api(`/api/conversations/${foreign.conversation.id}/close`, 'POST', {});
    expect(closed).toMatchObject({ status: 200, body: { status: 'ended', closedBy: 'admin' } });
    await foreign.waitForBody('end', (b) => b.closedBy === 'admin');
    await waitUntil(async () => !(await desk.snapshot()).queue.some((e) => e.conversationId === foreign.conversation.id), 'the closed conversation left the queue');
    expect(await admin.setStatus('offline')).toMatchObject({ ok: true });
    await desk.settings({ agentsMayJoinQueued: false });
  });

  it('Tencent queue position: the live conversation:state carries the position while queued, and a closed conversation has none', async () => {
    const team = await desk.team();
    const agent = await desk.agent({ teams: [team], max: 0 });
    await desk.visitor({ team });
    const second = await desk.visitor({ team });
    await queueAt(second, 2);
    await second.waitFor<ConversationStateEvent>('conversation:state', (s) => s.status === 'queued' && s.queuePosition === 2);
    const listed = async () => (await desk.api(`/api/conversations/${second.conversation.id}`)).body.queuePosition;
    expect(await listed()).toBe(2);

    expect(await emitAck(second.socket, 'visitor:close', {})).toEqual({ ok: true });
    const closed = await waitUntil(async () => {
      const r = await desk.row(second.conversation.id);
      return r && (r.status === 'rating' || r.status === 'ended') ? r : null;
    }, 'the queued conversation is closed');
    expect(await listed()).toBeNull();
    const rows = (await desk.api(`/api/conversations?status=${closed.status}`)).body.conversations as Array<{ id: string; queuePosition: number | null }>;
    expect(rows.find((c) => c.id === second.conversation.id)?.queuePosition).toBeNull();
    expect(await agent.setStatus('offline')).toMatchObject({ ok: true });
  });
});
