import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFacts, reportOffers } from '../../../db/schema.js';
import { emitAck } from '../../helpers/clients.js';
import { act, startDesk, waitUntil, type Desk } from '../routing/helpers.js';

/**
 * The reporting projection written by the real stack (Temporal + PostgreSQL): a conversation offered,
 * rejected (a requeue), accepted, answered, transferred and closed; one abandoned in the queue. The
 * numbers are read back through GET /api/reports/* with an admin's and the agents' own tokens.
 */
describe('reports: facts recorded by the projection activity', () => {
  let desk: Desk;
  beforeAll(async () => { desk = await startDesk({ routing: { serviceMode: 'manual', offerTimeoutSec: 30, transferConfirmation: true } }); });
  afterAll(async () => { await desk?.close(); });

  const today = () => new Date().toISOString().slice(0, 10);
  const facts = (id: string) => desk.stack.database.db.select().from(reportFacts).where(eq(reportFacts.conversationId, id)).then((r) => r[0]);

  it('offer rejected and accepted, first response, transfer, close: facts, offers and the reports agree', async () => {
    const team = await desk.team();
    const mia = await desk.agent({ name: 'Mia', teams: [team] });
    const noa = await desk.agent({ name: 'Noa', teams: [team] });
    const byId = (id: string) => (id === mia.userId ? mia : noa);
    const visitor = await desk.visitor({ team, name: 'Pat' });
    const id = visitor.conversation.id;

    const firstId = await waitUntil(async () => (await desk.snapshot()).offers.find((o) => o.conversationId === id)?.agentId, 'offered');
    const first = byId(firstId);
    const second = first === mia ? noa : mia;
    await first.waitFor('offer', (o: { conversationId: string }) => o.conversationId === id);
    expect(await act.reject(first, id)).toEqual({ ok: true });
    await second.waitFor('offer', (o: { conversationId: string }) => o.conversationId === id);
    expect(await second.accept(id)).toMatchObject({ ok: true });
    await desk.assigned(id, second.userId);
    await act.watch(second, id);
    expect(await second.send(id, 'Hello Pat')).toMatchObject({ ok: true });
    const asked = await act.transfer(second, id, { toAgentId: first.userId });
    await first.waitFor('transfer:request', (t: { conversationId: string }) => t.conversationId === id);
    expect(await act.answer(first, asked.transferId, true)).toEqual({ ok: true, outcome: 'accepted' });
    await desk.assigned(id, first.userId);
    expect(await first.closeConversation(id)).toMatchObject({ ok: true });
    await desk.status(id, 'ended');

    const f = await waitUntil(async () => { const r = await facts(id); return r?.status === 'ended' && r.transfers === 1 ? r : null; }, 'facts of the closed conversation');
    expect(f).toMatchObject({ agentId: first.userId, teamId: team.id, closedBy: 'agent', requeues: 1, transfers: 1, ratingInvited: false });
    expect(f.queuedAt!.getTime()).toBeLessThanOrEqual(f.assignedAt!.getTime());
    expect(f.assignedAt!.getTime()).toBeLessThanOrEqual(f.firstResponseAt!.getTime());
    expect(f.firstResponseAt!.getTime()).toBeLessThanOrEqual(f.closedAt!.getTime());
    const offers = await desk.stack.database.db.select().from(reportOffers).where(eq(reportOffers.conversationId, id)).orderBy(reportOffers.id);
    expect(offers.map((o) => [o.agentId, o.outcome])).toEqual([[first.userId, 'rejected'], [second.userId, 'accepted']]);

    // abandoned in the queue: nobody accepts, the visitor closes
    const gone = await desk.visitor({ team, name: 'Quinn' });
    await desk.status(gone.conversation.id, 'offered');
    expect(await emitAck(gone.socket, 'visitor:close', {})).toMatchObject({ ok: true });
    await waitUntil(async () => (await facts(gone.conversation.id))?.closedBy === 'visitor', 'facts of the abandoned conversation');

    const q = `from=${today()}&to=${today()}&teamId=${team.id}`;
    const volume = await desk.api(`/api/reports/volume?${q}`);
    expect(volume.status, JSON.stringify(volume.body)).toBe(200);
    expect(volume.body.totals).toMatchObject({ started: 2, served: 1, abandonedInQueue: 1, leftMessage: 0, closedBy: { agent: 1, visitor: 1 } });
    expect(volume.body.byTeam).toEqual([expect.objectContaining({ key: team.id, label: team.name, started: 2 })]);
    const times = await desk.api(`/api/reports/times?${q}`);
    expect(times.body.totals.firstResponse.count).toBe(1);
    expect(times.body.totals.queueWait.count).toBe(1);
    expect(times.body.totals.offers).toMatchObject({ rejected: 1, accepted: 1 });
    const transfers = await desk.api(`/api/reports/transfers?${q}`);
    expect(transfers.body.totals).toMatchObject({ requested: 1, accepted: 1 });
    expect(transfers.body.byAgent).toEqual([expect.objectContaining({ agentId: second.userId, requested: 1 })]);

    // an agent reads only their own numbers
    const own = await desk.api(`/api/reports/agents?${q}&agentId=${first.userId}`, 'GET', undefined, first.token);
    expect(own.status).toBe(200);
    expect(own.body.agents).toEqual([
      expect.objectContaining({ agentId: first.userId, handled: 1, transfersIn: 1, offers: expect.objectContaining({ rejected: 1 }) }),
    ]);
    expect((await desk.api(`/api/reports/agents?${q}&agentId=${second.userId}`, 'GET', undefined, first.token)).status).toBe(403);
    expect((await desk.api(`/api/reports/volume?${q}`, 'GET', undefined, first.token)).status).toBe(403);
    const me = await desk.api(`/api/reports/me?from=${today()}&to=${today()}`, 'GET', undefined, second.token);
    expect(me.status).toBe(200);
    expect(me.body.agent).toMatchObject({ agentId: second.userId, handled: 0, transfersOut: 1, offers: { accepted: 1 } });
    expect(me.body.agent.statusTime.online).toBeGreaterThanOrEqual(0);
  });
});
