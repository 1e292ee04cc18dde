import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visitors } from '../../../db/schema.js';
import { DEFAULT_ALERT_PREFERENCES } from '../../../domain/alerts.js';
import type { OfferEvent, WorkbenchSettingsEvent } from '../../../domain/contracts/events.js';
import { http, staffClient, visitorClient, type StaffClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, end, flowOf, HANDOFF, publishFlow } from '../flows/helpers.js';

/** Issue 18 (alerts): what an offer tells the agent, the agent's own alert switches, the workbench settings. */
describe('alerts: offer summaries, alert preferences, workbench settings', () => {
  let stack: Stack;
  let admin: string;
  let channel: string;
  const clients: Array<{ close(): void }> = [];
  const staff = async (email: string): Promise<StaffClient> => {
    const c = await staffClient(stack.baseUrl, email);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    stack = await startStack();
    admin = await adminToken(stack);
    ({ channel } = await publishFlow(stack, admin, flowOf([
      { id: 'topic', type: 'menu', config: { header: 'What is it about?', items: [{ id: 'orders', content: 'Orders and deliveries' }] }, edges: [{ on: 'orders', to: 'which' }] },
      { id: 'which', type: 'menu', config: { header: 'Which?', items: [{ id: 'late', content: 'Late parcel 包裹延误' }] }, edges: [{ on: 'late', to: 'order' }] },
      { id: 'order', type: 'form', config: { prompt: 'Your order number?', formType: 'text', variable: 'order' }, edges: [{ on: 'next', to: 'handoff' }] },
      { ...HANDOFF, edges: [{ on: 'failed', to: 'bye' }] },
      end('bye'),
    ], {}, ['order'])));
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await stack?.stop();
  });

  it('an offer carries what the visitor asked: menu path, form answers, first message, wait start, VIP; only the offered agent gets it, again after a reconnect', async () => {
    const alice = await staff('alice@parley.local');
    const bob = await staff('bob@parley.local');
    const visitor = await visitorClient(stack.baseUrl, '王小明', {
      channel, beforeStart: async (id) => { await stack.database.db.update(visitors).set({ vip: true }).where(eq(visitors.id, id)); },
    });
    clients.push(visitor);
    await visitor.waitForBody('menu', (b) => b.nodeId === 'topic');
    await visitor.send('Orders and deliveries', 'orders');
    await visitor.waitForBody('menu', (b) => b.nodeId === 'which');
    await visitor.send('Late parcel 包裹延误', 'late');
    await visitor.waitForBody('form');
    await visitor.send('A-123');
    await visitor.waitFor('conversation:state', (s: { status: string }) => s.status === 'queued');
    await visitor.send('  My parcel is\ntwo weeks late  ');

    expect(await bob.setStatus('busy')).toMatchObject({ ok: true }); // busy: never offered
    const before = Date.now();
    expect(await alice.setStatus('online')).toMatchObject({ ok: true });
    const offer = await alice.waitFor<OfferEvent>('offer', (o) => o.conversationId === visitor.conversation.id);
    expect(offer.visitorName).toBe('王小明');
    expect(offer.summary).toMatchObject({
      menuPath: ['Orders and deliveries', 'Late parcel 包裹延误'],
      formAnswers: [{ prompt: 'Your order number?', answer: 'A-123' }],
      firstMessage: 'My parcel is two weeks late',
      vip: true,
    });
    expect(new Date(offer.summary!.waitingSince!).getTime()).toBeLessThanOrEqual(before);

    // Another socket of the same agent (a reload) is shown the pending offer again, with its summary.
    const again = await staff('alice@parley.local');
    const shownAgain = await again.waitFor<OfferEvent>('offer', (o) => o.conversationId === visitor.conversation.id);
    expect(shownAgain.summary?.menuPath).toEqual(offer.summary!.menuPath);

    await new Promise((r) => setTimeout(r, 500));
    expect(bob.seen.filter((e) => e.event === 'offer')).toEqual([]);
  });

  it('each agent reads and changes only their own alert switches; a bad change is refused and changes nothing', async () => {
    const alice = await staff('alice@parley.local');
    const bob = await staff('bob@parley.local');
    const path = '/api/me/preferences/alerts';
    expect(await http(stack.baseUrl, 'GET', path, { token: alice.token })).toEqual({ status: 200, body: DEFAULT_ALERT_PREFERENCES });

    const changed = await http(stack.baseUrl, 'PUT', path, { token: alice.token, body: { kinds: { offer: false }, sound: false } });
    expect(changed).toEqual({ status: 200, body: { ...DEFAULT_ALERT_PREFERENCES, kinds: { ...DEFAULT_ALERT_PREFERENCES.kinds, offer: false }, sound: false } });
    expect((await http(stack.baseUrl, 'GET', path, { token: alice.token })).body).toEqual(changed.body);
    expect((await http(stack.baseUrl, 'GET', path, { token: bob.token })).body).toEqual(DEFAULT_ALERT_PREFERENCES);

    for (const body of [{ kinds: { offer: 'no' } }, { kinds: { ring: true } }, { sound: 1 }, { userId: bob.userId, sound: false }, []]) {
      const refused = await http<{ error: { code: string } }>(stack.baseUrl, 'PUT', path, { token: alice.token, body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('bad_request');
    }
    expect((await http(stack.baseUrl, 'GET', path, { token: alice.token })).body).toEqual(changed.body);
    expect((await http(stack.baseUrl, 'GET', path, { token: bob.token })).body).toEqual(DEFAULT_ALERT_PREFERENCES);

    expect((await http(stack.baseUrl, 'GET', path)).status).toBe(401);
    const visitor = await visitorClient(stack.baseUrl, 'Nosy');
    clients.push(visitor);
    expect((await http(stack.baseUrl, 'PUT', path, { token: visitor.token, body: { sound: false } })).status).toBe(403);
  });

  it('staff read which workbench controls the desk allows, and are told at once when an admin changes them', async () => {
    const alice = await staff('alice@parley.local');
    const settingsPath = '/api/settings/workbench';
    expect(await http(stack.baseUrl, 'GET', settingsPath, { token: alice.token }))
      .toEqual({ status: 200, body: { agentsMayJoinQueued: false, agentsMayChangeLimit: false } });
    // the full routing settings stay admin-only
    expect((await http(stack.baseUrl, 'GET', '/api/settings/routing', { token: alice.token })).status).toBe(403);

    const saved = await http(stack.baseUrl, 'PUT', '/api/settings/routing', { token: admin, body: { agentsMayJoinQueued: true } });
    expect(saved.status).toBe(200);
    const pushed = await alice.waitFor<WorkbenchSettingsEvent>('desk:settings', (s) => s.agentsMayJoinQueued);
    expect(pushed).toEqual({ agentsMayJoinQueued: true, agentsMayChangeLimit: false });
    expect((await http(stack.baseUrl, 'GET', settingsPath, { token: alice.token })).body).toEqual(pushed);

    await http(stack.baseUrl, 'PUT', '/api/settings/routing', { token: admin, body: { agentsMayJoinQueued: false, agentsMayChangeLimit: true } });
    expect(await alice.waitFor<WorkbenchSettingsEvent>('desk:settings', (s) => s.agentsMayChangeLimit)).toEqual({ agentsMayJoinQueued: false, agentsMayChangeLimit: true });

    const visitor = await visitorClient(stack.baseUrl, 'Nosy too');
    clients.push(visitor);
    expect((await http(stack.baseUrl, 'GET', settingsPath, { token: visitor.token })).status).toBe(403);
    expect(visitor.seen.filter((e) => e.event === 'desk:settings')).toEqual([]);
  });
});
