import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, agentState, connectedTo, startDesk, waitUntil, type Agent, type Desk } from './helpers.js';

/** Automatic mode (assigned = accepted) and manual mode (offer, countdown, next agent, away on a miss). */
describe('routing: service modes', () => {
  let desk: Desk;
  beforeAll(async () => { desk = await startDesk({ routing: { serviceMode: 'automatic', offerTimeoutSec: 60 } }); });
  afterAll(async () => { await desk?.close(); });

  /** The agent the conversation is currently offered to, per the dispatcher. */
  const offeredTo = (conversationId: string, not?: string) => waitUntil(async () => {
    const offer = (await desk.snapshot()).offers.find((o) => o.conversationId === conversationId && o.agentId !== not);
    return offer?.agentId;
  }, `conversation is offered${not ? ' to someone else' : ''}`);

  it('automatic: the conversation is assigned at once, the visitor is told and the agent gets agent:state', async () => {
    await desk.settings({ serviceMode: 'automatic' });
    const team = await desk.team();
    const agent = await desk.agent({ name: 'Auto Ann', teams: [team], max: 2 });
    const visitor = await desk.visitor({ team, name: 'Ivy' });
    const id = visitor.conversation.id;

    await connectedTo(visitor, 'Auto Ann');
    const state = await agentState(agent, (s) => s.conversationIds.includes(id));
    expect(state).toMatchObject({ status: 'online', load: 1, maxConversations: 2 });
    expect(agent.seen.some((e) => e.event === 'offer')).toBe(false); // no offer to accept
    expect(await desk.assigned(id)).toBe(agent.userId);
    const snap = await desk.snapshot();
    expect(snap.offers.filter((o) => o.conversationId === id)).toEqual([]);
    expect(snap.agents[agent.userId].conversationIds).toEqual([id]);
    // the agent can write at once
    await act.watch(agent, id);
    expect(await agent.send(id, 'Hello Ivy')).toMatchObject({ ok: true });
  });

  describe('manual', () => {
    beforeAll(async () => { await desk.settings({ serviceMode: 'manual', offerTimeoutSec: 5, awayOnMissedOffer: false }); });

    it('offers with a countdown; a missed offer goes to the next agent, a rejected one too; an expired or foreign offer cannot be accepted', async () => {
      const team = await desk.team();
      const agents: Agent[] = [];
      for (const name of ['Mia', 'Noa', 'Oli']) agents.push(await desk.agent({ name, teams: [team] }));
      const byId = (id: string) => agents.find((a) => a.userId === id)!;
      const visitor = await desk.visitor({ team, name: 'Pat' });
      const id = visitor.conversation.id;

      // 1. first offer, with its expiry, not accepted in time
      const first = byId(await offeredTo(id));
      const started = Date.now();
      const offer = await first.waitFor<{ conversationId: string; visitorName: string; expiresAt: string }>('offer', (o) => o.conversationId === id);
      expect(offer.visitorName).toBe('Pat');
      const left = new Date(offer.expiresAt).getTime() - started;
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(5_100);
      await desk.status(id, 'offered');
      await first.waitFor('offer:revoked', (o: { conversationId: string; reason: string }) => o.conversationId === id && o.reason === 'expired');

      // 2. the next agent gets it; accepting the expired offer is refused clearly
      const second = byId(await offeredTo(id, first.userId));
      await second.waitFor('offer', (o: { conversationId: string }) => o.conversationId === id);
      const late = await first.accept(id);
      expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect(late.error.message).toMatch(/expired|not offered to you/);

      // 3. the second rejects: it goes to the third (who has not declined yet)
      expect(await act.reject(second, id)).toEqual({ ok: true });
      await second.waitFor('offer:revoked', (o: { conversationId: string }) => o.conversationId === id);
      const third = agents.find((a) => a !== first && a !== second)!;
      expect(await offeredTo(id, second.userId)).toBe(third.userId);
      await third.waitFor('offer', (o: { conversationId: string }) => o.conversationId === id);

      // someone else's offer cannot be taken
      const foreign = await second.accept(id);
      expect(foreign).toMatchObject({ ok: false, error: { code: 'conflict', message: 'This conversation is not offered to you (it may have expired or been taken)' } });

      expect(await third.accept(id)).toEqual({ ok: true });
      expect((await desk.row(id)).agentId).toBe(third.userId);
      await connectedTo(visitor, third.name);
      await agentState(third, (s) => s.conversationIds.includes(id));
      // the missed offer did not make anyone away
      const snap = await desk.snapshot();
      for (const a of agents) expect(snap.agents[a.userId].status).toBe('online');
    });

    it('an offer still waiting is shown again when the agent reconnects, and can be accepted', async () => {
      await desk.settings({ offerTimeoutSec: 30 });
      try {
        const team = await desk.team();
        const agent = await desk.agent({ name: 'Sol', teams: [team] });
        const visitor = await desk.visitor({ team, name: 'Ray' });
        const id = visitor.conversation.id;
        await agent.waitFor('offer', (o: { conversationId: string }) => o.conversationId === id);
        const offersOf = () => agent.seen.filter((e) => e.event === 'offer' && (e.payload as { conversationId: string }).conversationId === id).length;
        expect(offersOf()).toBe(1);
        // e.g. the agent's API process restarted while the offer was sent: the new socket gets it again
        agent.socket.disconnect();
        agent.socket.connect();
        await waitUntil(() => offersOf() === 2, 'the offer is shown again after the reconnect');
        expect(await agent.accept(id)).toEqual({ ok: true });
        await connectedTo(visitor, 'Sol');
      } finally {
        await desk.settings({ offerTimeoutSec: 5 });
      }
    });

    it('awayOnMissedOffer: the agent who let an offer expire goes away, logged, and the conversation moves on', async () => {
      await desk.settings({ awayOnMissedOffer: true });
      const team = await desk.team();
      const a = await desk.agent({ name: 'Quinn', teams: [team] });
      const b = await desk.agent({ name: 'Rae', teams: [team] });
      const visitor = await desk.visitor({ team });
      const id = visitor.conversation.id;
      const firstId = await offeredTo(id);
      const first = firstId === a.userId ? a : b;
      const other = first === a ? b : a;

      await agentState(first, (s) => s.status === 'away');
      expect(await offeredTo(id, first.userId)).toBe(other.userId);
      expect(await other.accept(id)).toEqual({ ok: true });
      await connectedTo(visitor, other.name);

      const history = await desk.api(`/api/agents/${first.userId}/status-history`);
      expect(history.body.history[0]).toMatchObject({ status: 'away', reason: 'Missed an offered conversation' });
      // away agents get no new offers
      const v2 = await desk.visitor({ team });
      await offeredTo(v2.conversation.id).then((agentId) => expect(agentId).toBe(other.userId));
      await desk.settings({ awayOnMissedOffer: false });
    });
  });
});
