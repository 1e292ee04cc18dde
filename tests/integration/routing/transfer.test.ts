import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transfers } from '../../../db/schema.js';
import type { TransferRequestEvent, TransferResultEvent } from '../../../domain/contracts/events.js';
import { act, settle, startDesk, type Agent, type Desk, type Team } from './helpers.js';

/**
 * Transfers (B3Networks scenarios 1–3: accepted, rejected, expired), without confirmation, to a team,
 * and the clear errors; every outcome is recorded in the transfers table.
 */
describe('routing: transfers', () => {
  let desk: Desk;
  beforeAll(async () => {
    desk = await startDesk({ routing: { serviceMode: 'automatic', transferConfirmation: true, transferTimeoutSec: 1.5 } });
  });
  afterAll(async () => { await desk?.close(); });

  /** A team where `holder` serves a fresh visitor, and `others` join afterwards. */
  async function serving(opts: { names?: string[]; max?: number } = {}) {
    const team = await desk.team();
    const [holderName, ...otherNames] = opts.names ?? ['Anna', 'Ben'];
    const holder = await desk.agent({ name: holderName, teams: [team], max: opts.max ?? 3 });
    const visitor = await desk.visitor({ team, name: 'Tess' });
    const id = visitor.conversation.id;
    await desk.assigned(id, holder.userId);
    const others: Agent[] = [];
    for (const name of otherNames) others.push(await desk.agent({ name, teams: [team], max: opts.max ?? 3 }));
    return { team, holder, others, visitor, id };
  }
  const requestOf = (a: Agent, conversationId: string) => a.waitFor<TransferRequestEvent>('transfer:request', (t) => t.conversationId === conversationId);
  const resultOf = (a: Agent, transferId: string) => a.waitFor<TransferResultEvent>('transfer:result', (t) => t.transferId === transferId);
  const recorded = async (transferId: string) => (await desk.stack.database.db.select().from(transfers).where(eq(transfers.id, transferId)))[0];
  const holderOf = async (conversationId: string) => Object.values((await desk.snapshot()).agents).filter((a) => a.conversationIds.includes(conversationId))
      .map((a) => a.agentId);

  it('scenario 1: the target accepts; the conversation moves, the visitor is told, both agents get the result', async () => {
    const { holder, others: [target], visitor, id } = await serving();
    const asked = await act.transfer(holder, id, { toAgentId: target.userId });
    expect(asked).toMatchObject({ ok: true, outcome: 'pending', toAgentId: target.userId });
    const request = await requestOf(target, id);
    expect(request).toMatchObject({ transferId: asked.transferId, fromAgentName: 'Anna' });
    expect(new Date(request.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(1_500);
    expect((await desk.snapshot()).agents[target.userId].offeredIds).toContain(id); // the slot is held while deciding
    expect(await recorded(asked.transferId)).toMatchObject({ outcome: 'pending', fromAgentId: holder.userId, toAgentId: target.userId, resolvedAt: null });
    const again = await act.transfer(holder, id, { toAgentId: target.userId });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', message: 'A transfer of this conversation is already waiting for an answer' } });

    expect(await act.answer(target, asked.transferId, true)).toEqual({ ok: true, outcome: 'accepted' });
    const note = await visitor.waitForBody('transfer');
    expect(note).toMatchObject({ text: 'You have been transferred to Ben.', toAgentName: 'Ben' });
    for (const a of [holder, target]) expect(await resultOf(a, asked.transferId)).toMatchObject({ outcome: 'accepted', toAgentName: 'Ben', conversationId: id });
    await desk.assigned(id, target.userId);
    expect(await holderOf(id)).toEqual([target.userId]);
    expect(await recorded(asked.transferId)).toMatchObject({ outcome: 'accepted', resolvedAt: expect.any(Date) });
    expect(await target.send(id, 'Ben here')).toMatchObject({ ok: true });
    expect(await holder.send(id, 'still me?')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // answering twice is refused clearly
    expect(await act.answer(target, asked.transferId, true)).toMatchObject({ ok: false, error: { message: 'This transfer is no longer waiting for your answer' } });
  });

  it('answering a transfer: an unknown or someone else\'s id is 404, an answered one 409 (REST)', async () => {
    const { holder, others: [target], id } = await serving();
    const asked = await act.transfer(holder, id, { toAgentId: target.userId });
    await requestOf(target, id);
    const answer = (transferId: string, token: string) => desk.api(`/api/transfers/${transferId}/answer`, 'POST', { accept: true }, token);
    expect(await answer('7c1a1b1e-3c2d-4e5f-8a9b-0c1d2e3f4a5b', target.token)).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: 'Transfer not found' } } });
    expect(await answer(asked.transferId, holder.token)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await answer(asked.transferId, target.token)).toMatchObject({ status: 200, body: { outcome: 'accepted' } });
    await desk.assigned(id, target.userId);
    expect(await answer(asked.transferId, target.token)).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: 'This transfer is no longer waiting for your answer' } } });
  });

  it('scenario 2: the target rejects; the conversation stays, both are told', async () => {
    const { holder, others: [target], id } = await serving();
    const asked = await act.transfer(holder, id, { toAgentId: target.userId });
    await requestOf(target, id);
    expect(await act.answer(target, asked.transferId, false)).toEqual({ ok: true, outcome: 'rejected' });
    for (const a of [holder, target]) expect(await resultOf(a, asked.transferId)).toMatchObject({ outcome: 'rejected' });
    expect(await holderOf(id)).toEqual([holder.userId]);
    expect((await desk.snapshot()).agents[target.userId].offeredIds).toEqual([]);
    expect(await recorded(asked.transferId)).toMatchObject({ outcome: 'rejected', resolvedAt: expect.any(Date) });
    expect((await desk.row(id)).agentId).toBe(holder.userId);
  });

  it('scenario 3: the target does not answer; the request expires, the conversation stays, both are told', async () => {
    const { holder, others: [target], id } = await serving();
    const asked = await act.transfer(holder, id, { toAgentId: target.userId });
    await requestOf(target, id);
    for (const a of [holder, target]) expect(await resultOf(a, asked.transferId)).toMatchObject({ outcome: 'expired', toAgentName: 'Ben' });
    expect(await holderOf(id)).toEqual([holder.userId]);
    expect(await recorded(asked.transferId)).toMatchObject({ outcome: 'expired' });
    const late = await act.answer(target, asked.transferId, true);
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(late.error.message).toMatch(/no longer waiting|expired/);
    expect(await holder.send(id, 'still with you')).toMatchObject({ ok: true });
  });

  it('busy and away agents can still take transfers', async () => {
    const { holder, others: [busy, away], id, visitor } = await serving({ names: ['Anna', 'Cleo', 'Dora'] });
    expect(await busy.setStatus('busy')).toMatchObject({ ok: true });
    expect(await away.setStatus('away')).toMatchObject({ ok: true });
    const toBusy = await act.transfer(holder, id, { toAgentId: busy.userId });
    expect(toBusy).toMatchObject({ ok: true, outcome: 'pending' });
    expect(await act.answer(busy, toBusy.transferId, true)).toMatchObject({ ok: true, outcome: 'accepted' });
    await desk.assigned(id, busy.userId);
    const toAway = await act.transfer(busy, id, { toAgentId: away.userId });
    expect(await act.answer(away, toAway.transferId, true)).toMatchObject({ ok: true, outcome: 'accepted' });
    await desk.assigned(id, away.userId);
    await visitor.waitForBody('transfer', (b) => b.toAgentName === 'Dora');
  });

  it('clear errors: offline target, target at capacity, not your conversation, team with nobody else', async () => {
    const { team, holder, others: [full], id } = await serving({ names: ['Anna', 'Fay'], max: 1 });
    const offline = await desk.agent({ name: 'Otto', teams: [team], online: false });
    const toOffline = await act.transfer(holder, id, { toAgentId: offline.userId });
    expect(toOffline).toMatchObject({ ok: false, error: { code: 'conflict', message: 'That agent is offline' } });

    const fill = await desk.visitor({ team });
    await desk.assigned(fill.conversation.id, full.userId);
    const toFull = await desk.api(`/api/conversations/${id}/transfer`, 'POST', { toAgentId: full.userId }, holder.token);
    expect(toFull).toMatchObject({ status: 409, body: { error: { message: 'Fay is at the maximum number of conversations' } } });

    const notMine = await desk.api(`/api/conversations/${id}/transfer`, 'POST', { toAgentId: holder.userId }, full.token);
    expect(notMine.status).toBe(403);
    const toSelf = await desk.api(`/api/conversations/${id}/transfer`, 'POST', { toAgentId: holder.userId }, holder.token);
    expect(toSelf).toMatchObject({ status: 409, body: { error: { message: 'You are already serving this conversation' } } });
    const both = await desk.api(`/api/conversations/${id}/transfer`, 'POST', { toAgentId: full.userId, toTeamId: team.id }, holder.token);
    expect(both.status).toBe(400);
    const unknown = await desk.api(`/api/conversations/${id}/transfer`, 'POST', { toTeamId: 'no-such-team' }, holder.token);
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: 'Team not found' } } });

    const lonely = await desk.team({ name: 'Lonely' });
    expect((await desk.api(`/api/agents/${holder.userId}`, 'PATCH', { teamIds: [team.id, lonely.id] })).status).toBe(200);
    const alone = await desk.api(`/api/conversations/${id}/transfer`, 'POST', { toTeamId: lonely.id }, holder.token);
    expect(alone).toMatchObject({ status: 409, body: { error: { message: 'Team "Lonely" has no other agents to take this conversation' } } });
    expect(await holderOf(id)).toEqual([holder.userId]);
  });

  it('to a team: the most idle agent who can take it is asked', async () => {
    const { holder, id } = await serving();
    const sales = await desk.team({ name: 'Sales' });
    const loaded = await desk.agent({ name: 'Loaded', teams: [sales] });
    await desk.assigned((await desk.visitor({ team: sales })).conversation.id, loaded.userId);
    const idle = await desk.agent({ name: 'Idle', teams: [sales] });
    const asked = await act.transfer(holder, id, { toTeamId: sales.id });
    expect(asked).toMatchObject({ ok: true, outcome: 'pending', toAgentId: idle.userId });
    const req = await requestOf(idle, id);
    expect(await act.answer(idle, req.transferId, true)).toMatchObject({ ok: true, outcome: 'accepted' });
    await desk.assigned(id, idle.userId);
    expect((await desk.row(id)).teamId).toBe(sales.id);
    expect(await recorded(asked.transferId)).toMatchObject({ outcome: 'accepted', toTeamId: sales.id, toAgentId: idle.userId });
  });

  it('Easemob: a transfer to a team with no member online and free waits in that team\'s queue; the "busy member" setting asks a busy one', async () => {
    const { holder, id } = await serving();
    const billing = await desk.team({ name: 'Billing' });
    const busy = await desk.agent({ name: 'Busy Bea', teams: [billing] });
    expect(await busy.setStatus('busy')).toMatchObject({ ok: true });
    const queued = await act.transfer(holder, id, { toTeamId: billing.id });
    expect(queued).toMatchObject({ ok: true, outcome: 'queued', toAgentId: null });
    await desk.status(id, 'queued');
    expect((await desk.row(id)).teamId).toBe(billing.id);
    expect(await recorded(queued.transferId)).toMatchObject({ outcome: 'queued', toTeamId: billing.id, toAgentId: null });
    expect(await busy.setStatus('online')).toMatchObject({ ok: true });
    await desk.assigned(id, busy.userId);

    await desk.settings({ teamTransferWhenNobodyIdle: 'busy-member' });
    try {
      const second = await serving();
      expect(await busy.setStatus('busy')).toMatchObject({ ok: true });
      const asked = await act.transfer(second.holder, second.id, { toTeamId: billing.id });
      expect(asked).toMatchObject({ ok: true, outcome: 'pending', toAgentId: busy.userId });
      expect(await act.answer(busy, (await requestOf(busy, second.id)).transferId, true)).toMatchObject({ ok: true, outcome: 'accepted' });
      await desk.assigned(second.id, busy.userId);
    } finally {
      await desk.settings({ teamTransferWhenNobodyIdle: 'queue' });
    }
  });

  describe('without confirmation', () => {
    beforeAll(async () => { await desk.settings({ transferConfirmation: false }); });
    afterAll(async () => { await desk.settings({ transferConfirmation: true }); });

    it('moves at once', async () => {
      const { holder, others: [target], visitor, id } = await serving();
      const moved = await act.transfer(holder, id, { toAgentId: target.userId });
      expect(moved).toMatchObject({ ok: true, outcome: 'moved', toAgentId: target.userId, expiresAt: null });
      expect((await desk.row(id)).agentId).toBe(target.userId); // already recorded when the call returns
      expect(target.seen.some((e) => e.event === 'transfer:request')).toBe(false);
      for (const a of [holder, target]) expect(await resultOf(a, moved.transferId)).toMatchObject({ outcome: 'moved', toAgentName: 'Ben' });
      await visitor.waitForBody('transfer', (b) => b.toAgentName === 'Ben');
      expect(await recorded(moved.transferId)).toMatchObject({ outcome: 'moved' });
    });

    it('to a team where nobody can take it now: waits in that team\'s queue, then goes to the first agent free', async () => {
      const { holder, visitor, id } = await serving();
      const night: Team = await desk.team({ name: 'Night shift', strategy: 'round-robin' });
      const sleeper = await desk.agent({ name: 'Sleeper', teams: [night], online: false });
      const moved = await act.transfer(holder, id, { toTeamId: night.id });
      expect(moved).toMatchObject({ ok: true, outcome: 'queued', toAgentId: null });
      await visitor.waitForBody('transfer', (b) => b.toTeamName === 'Night shift');
      expect(await resultOf(holder, moved.transferId)).toMatchObject({ outcome: 'queued', toTeamId: night.id });
      await desk.status(id, 'queued');
      expect((await desk.row(id)).teamId).toBe(night.id);
      expect(await holderOf(id)).toEqual([]);
      // it waits under the night shift's own rules (its strategy, not the first team's)
      expect((await desk.snapshot()).queue.find((e) => e.conversationId === id)).toMatchObject({ teamId: night.id, strategy: 'round-robin' });
      await visitor.waitForBody('queue', (b) => b.position === 1);
      expect(await recorded(moved.transferId)).toMatchObject({ outcome: 'queued', toTeamId: night.id, toAgentId: null });
      await settle(200);
      expect(await holderOf(id)).toEqual([]); // the original agent does not get it back

      expect(await sleeper.setStatus('online')).toMatchObject({ ok: true });
      await desk.assigned(id, sleeper.userId);
      await visitor.waitForBody('notice', (b) => b.text.includes('Sleeper'));
    });
  });
});
