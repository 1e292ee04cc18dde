import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BaseStrategy } from '../../../domain/desk/state.js';
import { http } from '../../helpers/clients.js';
import { addFlow, startDesk, teamMenuFlow, waitUntil, type Agent, type Desk, type Team } from './helpers.js';

/**
 * Assignment strategies on a real desk (automatic mode, so "assigned" is the decision itself):
 * longest idle, least busy and round robin, as the desk default and per team; visitor's choice of team;
 * familiarity. The webhook strategy has its own file.
 */
describe('routing: assignment strategies', () => {
  let desk: Desk;
  beforeAll(async () => { desk = await startDesk({ routing: { serviceMode: 'automatic', strategy: 'longest-idle' } }); });
  afterEach(async () => { await desk.retire(); });
  afterAll(async () => { await desk?.close(); });

  /**
   * Three agents p1, p2, p3 get one conversation each; p2's is closed; p1 goes busy, so v4 goes to p2
   * (every strategy agrees); v4 is closed and p1 comes back. Now the strategies disagree about v5:
   * longest idle → p1 (assigned longest ago, though it has a conversation), least busy → p2 (no load),
   * round robin → p3 (the next after p2, the last one served).
   */
  async function scenario(scope: { team?: Team }): Promise<{ p: Agent[]; v5: Agent }> {
    const agents: Agent[] = [];
    for (let i = 0; i < 3; i++) agents.push(await desk.agent({ teams: scope.team ? [scope.team] : [], max: 3 }));
    const byId = (id: string) => agents.find((a) => a.userId === id)!;
    const serve = async () => {
      const v = await desk.visitor({ team: scope.team });
      return { v, agent: byId(await desk.assigned(v.conversation.id)) };
    };
    const close = async (a: Agent, conversationId: string) => {
      expect(await a.closeConversation(conversationId)).toEqual({ ok: true });
      await desk.agentView(a.userId, (x) => !x.conversationIds.includes(conversationId), 'the dispatcher released the conversation');
    };
    const s1 = await serve();
    const s2 = await serve();
    const s3 = await serve();
    const p = [s1.agent, s2.agent, s3.agent];
    expect(new Set(p).size).toBe(3);
    await close(p[1], s2.v.conversation.id);
    expect(await p[0].setStatus('busy')).toMatchObject({ ok: true });
    const s4 = await serve();
    expect(s4.agent).toBe(p[1]);
    await close(p[1], s4.v.conversation.id);
    expect(await p[0].setStatus('online')).toMatchObject({ ok: true });
    const s5 = await serve();
    return { p, v5: s5.agent };
  }

  const expected: Record<BaseStrategy, number> = { 'longest-idle': 0, 'least-busy': 1, 'round-robin': 2 };

  for (const strategy of ['longest-idle', 'least-busy', 'round-robin'] as const) {
    it(`${strategy} as the desk strategy (PUT /api/settings/routing)`, async () => {
      await desk.settings({ strategy });
      const { p, v5 } = await scenario({});
      expect(v5.name).toBe(p[expected[strategy]].name);
    });

    it(`${strategy} as a team's strategy (PATCH /api/teams/:id), whatever the desk's`, async () => {
      await desk.settings({ strategy: strategy === 'least-busy' ? 'round-robin' : 'least-busy' });
      const team = await desk.team();
      const patched = await desk.api(`/api/teams/${team.id}`, 'PATCH', { strategy });
      expect(patched).toMatchObject({ status: 200, body: { strategy } });
      const { p, v5 } = await scenario({ team });
      expect(v5.name).toBe(p[expected[strategy]].name);
    });
  }

  it('round robin turns within each team, whatever other teams do', async () => {
    // Agent ids decide the round-robin order; arrange that the other team's agent sorts last.
    const made: Agent[] = [];
    for (let i = 0; i < 3; i++) made.push(await desk.agent({ online: false }));
    const [a, b, c] = made.sort((x, y) => (x.userId < y.userId ? -1 : 1));
    const rr = await desk.team({ strategy: 'round-robin' });
    const other = await desk.team({ strategy: 'round-robin' });
    for (const [agent, team] of [[a, rr], [b, rr], [c, other]] as const) {
      expect((await desk.api(`/api/agents/${agent.userId}`, 'PATCH', { teamIds: [team.id] })).status).toBe(200);
      expect(await agent.setStatus('online')).toMatchObject({ ok: true });
    }
    const servedBy = async (team: Team) => (await desk.assigned((await desk.visitor({ team })).conversation.id));
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      order.push(await servedBy(rr));
      expect(await servedBy(other)).toBe(c.userId);
    }
    // a, b, a (or b, a, b): never the same agent twice in a row
    for (let i = 1; i < order.length; i++) expect(order[i]).not.toBe(order[i - 1]);
  });

  it("visitor's choice of team: the menu item's team serves the conversation", async () => {
    const sales = await desk.team({ name: 'Sales dept' });
    const billing = await desk.team({ name: 'Billing dept' });
    await addFlow(desk.stack, 'choice', teamMenuFlow([{ id: 'sales', label: 'Sales', teamId: sales.id }, { id: 'billing', label: 'Billing', teamId: billing.id }]));
    const seller = await desk.agent({ name: 'Seller', teams: [sales] });
    const biller = await desk.agent({ name: 'Biller', teams: [billing] });

    const v1 = await desk.visitor({ channel: 'choice' });
    const menu = await v1.waitForBody('menu');
    expect(menu.items.map((i) => i.content)).toEqual(['Sales', 'Billing']);
    expect(await v1.send('Billing', 'billing')).toMatchObject({ ok: true });
    expect(await desk.assigned(v1.conversation.id)).toBe(biller.userId);
    expect((await desk.row(v1.conversation.id)).teamId).toBe(billing.id);

    const v2 = await desk.visitor({ channel: 'choice' });
    await v2.waitForBody('menu');
    expect(await v2.send('Sales', 'sales')).toMatchObject({ ok: true });
    expect(await desk.assigned(v2.conversation.id)).toBe(seller.userId);

    // with the billing agent full, a billing conversation waits for billing; sales does not take it
    expect((await desk.api(`/api/agents/${biller.userId}`, 'PATCH', { maxConversations: 1 })).status).toBe(200);
    const v3 = await desk.visitor({ channel: 'choice' });
    await v3.waitForBody('menu');
    await v3.send('Billing', 'billing');
    await desk.status(v3.conversation.id, 'queued');
    await v3.waitForBody('queue', (b) => b.position === 1);
    expect((await desk.snapshot()).queue.find((e) => e.conversationId === v3.conversation.id)).toMatchObject({ teamId: billing.id });
    expect(await biller.closeConversation(v1.conversation.id)).toEqual({ ok: true });
    expect(await desk.assigned(v3.conversation.id)).toBe(biller.userId);
  });

  it('familiarity: a returning visitor gets the agent who last served it, else the default strategy', async () => {
    const team = await desk.team({ strategy: 'familiarity' });
    const x = await desk.agent({ name: 'Xena', teams: [team] });
    const y = await desk.agent({ name: 'Yuri', teams: [team] });
    const byId = (id: string) => [x, y].find((a) => a.userId === id)!;
    const closeAll = async () => {
      for (const a of [x, y]) {
        const view = (await desk.snapshot()).agents[a.userId];
        for (const id of view.conversationIds) expect(await a.closeConversation(id)).toEqual({ ok: true });
        await desk.agentView(a.userId, (v) => v.conversationIds.length === 0, `${a.name} has no conversations`);
      }
    };
    const returning = await desk.visitor({ team, name: 'Regular' });
    const again = async () => {
      const res = await http<{ id: string }>(desk.stack.baseUrl, 'POST', '/api/visitor/conversations', { token: returning.token, body: { channel: team.channel, new: true } });
      expect(res.status).toBe(200);
      return res.body.id;
    };
    const familiar = byId(await desk.assigned(returning.conversation.id));
    const other = familiar === x ? y : x;
    // two more visitors: the other agent, then the familiar one again (longest idle); the familiar agent is now the most recently used
    expect(await desk.assigned((await desk.visitor({ team })).conversation.id)).toBe(other.userId);
    expect(await desk.assigned((await desk.visitor({ team })).conversation.id)).toBe(familiar.userId);
    await closeAll();

    // the default (longest idle) would pick the other agent; familiarity picks the one who served this visitor
    const second = await again();
    expect(await desk.assigned(second)).toBe(familiar.userId);
    expect(await familiar.closeConversation(second)).toEqual({ ok: true });
    await desk.agentView(familiar.userId, (v) => v.conversationIds.length === 0, 'released');

    // the familiar agent unavailable: the default strategy decides
    expect(await familiar.setStatus('busy')).toMatchObject({ ok: true });
    const third = await again();
    expect(await desk.assigned(third)).toBe(other.userId);

    // a first-time visitor simply gets the default
    const firstTimer = await desk.visitor({ team });
    await waitUntil(async () => (await desk.row(firstTimer.conversation.id)).status === 'assigned', 'first-timer served');
  });
});
