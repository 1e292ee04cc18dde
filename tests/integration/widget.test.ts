import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, type StaffClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { send } from '../security/lib/http.js';
import { diff, settled, snapshot } from '../security/lib/db-snapshot.js';
import { staff } from '../security/lib/principals.js';
import { identityHashMatches } from '../../api/services/widget.js';
import type { WidgetSettings } from '../../domain/widget.js';
import type { VisitorContextView } from '../../domain/visitor-context.js';

const SHOP = 'https://shop.example.com';
const EVIL = 'https://evil.example.net';

/**
 * The embeddable widget's API (issue 19): per-channel settings (admins only, hostile input refused and
 * nothing changed), the loader's public read, allowed origins on the widget's requests, and identity
 * verification with the channel's secret: verified visitors are one per (channel, id) across devices, an
 * anonymous visitor is merged into them, and an unverified claim never reaches their conversations.
 */
describe('the embeddable widget: settings, allowed origins and identity verification', () => {
  let stack: Stack;
  let team: { alice: StaffClient; bob: StaffClient; admin: StaffClient };
  let secret: string;

  const hmac = (key: string, id: string) => createHmac('sha256', key).update(id).digest('hex');
  const session = async (body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    send(stack.baseUrl, { method: 'POST', path: '/api/visitor/session', json: body, headers });
  const newVisitor = async () => (await session()).body as { token: string; visitorId: string };
  const start = (token: string, body: Record<string, unknown> = {}) => send(stack.baseUrl, { method: 'POST', path: '/api/visitor/conversations', token, json: body });
  const identify = (token: string, body: Record<string, unknown>) => send(stack.baseUrl, { method: 'POST', path: '/api/visitor/identify', token, json: { channel: 'web', ...body } });

  beforeAll(async () => {
    stack = await startStack();
    team = await staff(stack.baseUrl);
  });
  afterAll(async () => {
    for (const c of Object.values(team ?? {})) c.close();
    await stack?.stop();
  });

  it('lets only admins read and change a channel\'s settings, with a generated secret that reading does not store', async () => {
    const before = await snapshot(stack.database.pool);
    const list = await http<{ channels: WidgetSettings[] }>(stack.baseUrl, 'GET', '/api/widget-settings', { token: team.admin.token });
    expect(list.status).toBe(200);
    const web = list.body.channels.find((c) => c.channel === 'web')!;
    expect(web).toMatchObject({ position: 'bottom-right', color: '#2f6fde', label: 'Chat with us', icon: 'chat', allowedOrigins: [] });
    expect(web.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    expect(diff(before, await snapshot(stack.database.pool)), 'a read writes nothing').toBe('');
    for (const who of [team.alice, team.bob]) {
      expect((await http(stack.baseUrl, 'GET', '/api/channels/web/widget-settings', { token: who.token })).status).toBe(403);
      expect((await http(stack.baseUrl, 'PATCH', '/api/channels/web/widget-settings', { token: who.token, body: { label: 'x' } })).status).toBe(403);
    }
    const visitor = await newVisitor();
    expect((await http(stack.baseUrl, 'PATCH', '/api/channels/web/widget-settings', { token: visitor.token, body: { label: 'x' } })).status).toBe(403);
    expect((await http(stack.baseUrl, 'GET', '/api/channels/nope/widget-settings', { token: team.admin.token })).status).toBe(404);

    const saved = await http<WidgetSettings>(stack.baseUrl, 'PATCH', '/api/channels/web/widget-settings', {
      token: team.admin.token, body: { position: 'bottom-left', color: '#0A7A3B', label: '在线咨询', icon: 'headset', allowedOrigins: [SHOP, 'http://localhost:8080'] },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ position: 'bottom-left', color: '#0a7a3b', label: '在线咨询', icon: 'headset', allowedOrigins: [SHOP, 'http://localhost:8080'] });
    expect(saved.body.identitySecret, 'the first change keeps the secret the admin already saw').toBe(web.identitySecret);
    secret = saved.body.identitySecret;
  });

  it('refuses hostile settings with the reason, and changes nothing', async () => {
    await settled(stack.database.pool);
    const before = await snapshot(stack.database.pool);
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ allowedOrigins: ['javascript:alert(1)'] }, /allowed origin/],
      [{ allowedOrigins: ['https://shop.example.com/'] }, /allowed origin/],
      [{ allowedOrigins: ['https://shop.example.com/path'] }, /allowed origin/],
      [{ allowedOrigins: ['https://*.example.com'] }, /allowed origin/],
      [{ allowedOrigins: ["https://a.com; script-src 'unsafe-inline'"] }, /allowed origin/],
      [{ allowedOrigins: ["https://a.com'"] }, /allowed origin/],
      [{ allowedOrigins: ['https://user:pw@a.com'] }, /allowed origin/],
      [{ allowedOrigins: [' https://a.com'] }, /allowed origin/],
      [{ allowedOrigins: ['*'] }, /allowed origin/],
      [{ allowedOrigins: ["'self'"] }, /allowed origin/],
      [{ allowedOrigins: ['ftp://a.com'] }, /allowed origin/],
      [{ allowedOrigins: [SHOP, SHOP] }, /twice/],
      [{ allowedOrigins: Array.from({ length: 21 }, (_, i) => `https://s${i}.example.com`) }, /at most 20/],
      [{ color: 'red' }, /hex colour/],
      [{ color: '#fff' }, /hex colour/],
      [{ color: '#12345g' }, /hex colour/],
      [{ label: '' }, /must not be empty/],
      [{ label: 'x'.repeat(41) }, /at most 40/],
      [{ label: 'a\u0007b' }, /control characters/],
      [{ icon: 'skull' }, /icon must be one of/],
      [{ position: 'top-left' }, /position must be one of/],
      [{ identitySecret: 'mine' }, /./],
    ];
    for (const [body, reason] of bad) {
      const res = await send(stack.baseUrl, { method: 'PATCH', path: '/api/channels/web/widget-settings', token: team.admin.token, json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toMatch(reason);
    }
    expect(diff(before, await snapshot(stack.database.pool))).toBe('');
  });

  it('tells the loader its settings and whether the asking page may embed the chat (CORS, no write)', async () => {
    const ask = (origin?: string) => send(stack.baseUrl, { method: 'GET', path: '/api/widget/web', headers: origin ? { origin } : {} });
    const allowed = await ask(SHOP);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ channel: 'web', position: 'bottom-left', color: '#0a7a3b', label: '在线咨询', icon: 'headset', originAllowed: true });
    expect(allowed.headers['access-control-allow-origin']).toBe('*');
    expect(allowed.text).not.toContain(secret);
    expect((await ask(EVIL)).body.originAllowed).toBe(false);
    expect((await ask('https://shop.example.com.evil.net')).body.originAllowed).toBe(false);
    expect((await ask()).body.originAllowed).toBe(false);
    expect((await send(stack.baseUrl, { method: 'GET', path: '/api/widget/no-such-channel' })).status).toBe(404);
  });

  it('refuses the widget\'s requests from a page whose origin is not allowed, with a clear reason', async () => {
    await settled(stack.database.pool);
    const before = await snapshot(stack.database.pool);
    const refused = await session({ channel: 'web', embedOrigin: EVIL });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(`This site (${EVIL}) is not allowed to embed the chat of channel "web". An admin can add it to the channel's allowed origins (Admin → Widget).`);
    // a page on another site calling the API itself, from the browser
    expect((await session({}, { origin: EVIL, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await session({ channel: 'web' }, { origin: EVIL, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(diff(before, await snapshot(stack.database.pool)), 'refused: nothing stored').toBe('');

    const ok = await session({ channel: 'web', embedOrigin: SHOP });
    expect(ok.status).toBe(200);
    expect((await session({ channel: 'web' }, { origin: SHOP, 'sec-fetch-site': 'cross-site' })).status).toBe(200);
    expect((await session({}, { origin: stack.baseUrl, 'sec-fetch-site': 'same-origin' })).status, 'the full-page chat').toBe(200);
    const token = ok.body.token as string;
    const wrong = await start(token, { channel: 'web', embedOrigin: EVIL });
    expect(wrong.status).toBe(403);
    expect((await start(token, { channel: 'web', embedOrigin: 'https://shop.example.com:444' })).status).toBe(403);
    const started = await start(token, { channel: 'web', embedOrigin: SHOP, page: { url: `${SHOP}/products/42`, title: 'Watch' } });
    expect(started.status).toBe(200);
  });

  it('verifies identities with the channel secret: one visitor per (channel, id) across devices, anonymous history merged in', async () => {
    expect(identityHashMatches(secret, 'u-1', hmac(secret, 'u-1'))).toBe(true);
    expect(identityHashMatches(secret, 'u-1', hmac(secret, 'u-1').toUpperCase())).toBe(true);
    for (const h of ['', 'zz', hmac(secret, 'u-2'), hmac('another', 'u-1'), hmac(secret, 'u-1').slice(0, 63), `${hmac(secret, 'u-1')}00`]) {
      expect(identityHashMatches(secret, 'u-1', h), h).toBe(false);
    }

    // Device 1: an anonymous visitor chats, then logs in on the site.
    const device1 = await newVisitor();
    const chat = (await start(device1.token, { channel: 'web', embedOrigin: SHOP })).body as { id: string };
    const first = await identify(device1.token, { embedOrigin: SHOP, id: 'u-1042', name: 'Wei Zhang', email: 'wei@example.com', attributes: { plan: 'gold' }, hash: hmac(secret, 'u-1042') });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ visitorId: device1.visitorId, identity: 'verified', merged: 0, displayName: 'Wei Zhang' });

    // Device 2: anonymous, starts its own chat, then logs in as the same user: merged into device 1's visitor.
    const device2 = await newVisitor();
    const second = (await start(device2.token, { channel: 'web', embedOrigin: SHOP })).body as { id: string };
    const merged = await identify(device2.token, { embedOrigin: SHOP, id: 'u-1042', hash: hmac(secret, 'u-1042') });
    expect(merged.body).toMatchObject({ visitorId: device1.visitorId, identity: 'verified', merged: 1 });
    const { rows } = await stack.database.pool.query('select id, visitor_id from conversations where id = any($1)', [[chat.id, second.id]]);
    expect(rows.every((r) => r.visitor_id === device1.visitorId)).toBe(true);
    // Its new token sees both conversations (the history follows the user); the old one sees none of them.
    for (const id of [chat.id, second.id]) {
      expect((await http(stack.baseUrl, 'GET', `/api/conversations/${id}/messages`, { token: merged.body.token })).status).toBe(200);
    }
    expect((await http(stack.baseUrl, 'GET', `/api/conversations/${second.id}`, { token: device2.token })).status).toBe(404);

    // A forged hash: the claim labels a fresh visitor, shown as unverified, and reaches nothing of u-1042's.
    const attacker = await newVisitor();
    const forged = await identify(attacker.token, { embedOrigin: SHOP, id: 'u-1042', name: 'Wei Zhang', hash: hmac('guessed-secret', 'u-1042') });
    expect(forged.status).toBe(200);
    expect(forged.body).toMatchObject({ visitorId: attacker.visitorId, identity: 'unverified', merged: 0 });
    for (const id of [chat.id, second.id]) expect((await http(stack.baseUrl, 'GET', `/api/conversations/${id}`, { token: forged.body.token })).status).toBe(404);
    const noHash = await identify(attacker.token, { embedOrigin: SHOP, id: 'u-1042' });
    expect(noHash.body).toMatchObject({ visitorId: attacker.visitorId, identity: 'unverified' });
    const [victim] = (await stack.database.pool.query('select identity, external_id, display_name from visitors where id = $1', [device1.visitorId])).rows;
    expect(victim).toEqual({ identity: 'verified', external_id: 'u-1042', display_name: 'Wei Zhang' });

    // A verified session told another, unproven id continues as a new visitor; its own id without a hash stays verified.
    const same = await identify(merged.body.token, { embedOrigin: SHOP, id: 'u-1042' });
    expect(same.body).toMatchObject({ visitorId: device1.visitorId, identity: 'verified' });
    const other = await identify(merged.body.token, { embedOrigin: SHOP, id: 'u-9999' });
    expect(other.body.identity).toBe('unverified');
    expect(other.body.visitorId).not.toBe(device1.visitorId);

    // identify from a page that may not embed the channel is refused, and rotating the secret breaks old hashes.
    expect((await identify(attacker.token, { embedOrigin: EVIL, id: 'u-7', hash: hmac(secret, 'u-7') })).status).toBe(403);
    const rotated = await http<WidgetSettings>(stack.baseUrl, 'POST', '/api/channels/web/widget-settings/identity-secret', { token: team.admin.token, body: {} });
    expect(rotated.body.identitySecret).not.toBe(secret);
    const stale = await identify((await newVisitor()).token, { embedOrigin: SHOP, id: 'u-1042', hash: hmac(secret, 'u-1042') });
    expect(stale.body.identity).toBe('unverified');
    const fresh = await identify((await newVisitor()).token, { embedOrigin: SHOP, id: 'u-1042', hash: hmac(rotated.body.identitySecret, 'u-1042') });
    expect(fresh.body).toMatchObject({ visitorId: device1.visitorId, identity: 'verified' });
    secret = rotated.body.identitySecret;
  });

  it('shows the identity and the host page to the agent (context panel)', async () => {
    const visitor = await newVisitor();
    await identify(visitor.token, { embedOrigin: SHOP, id: 'claimed-7', name: 'Claimed Seven' });
    const c = (await start(visitor.token, { channel: 'web', embedOrigin: SHOP, page: { url: `${SHOP}/cart`, title: 'Cart', referrer: 'https://search.example/', language: 'zh-CN', timeZone: 'Asia/Shanghai' } })).body as { id: string };
    const view = await http<VisitorContextView>(stack.baseUrl, 'GET', `/api/conversations/${c.id}/visitor-context`, { token: team.admin.token });
    expect(view.body.profile.identity).toEqual({ status: 'unverified', externalId: 'claimed-7', channel: 'web' });
    expect(view.body.context.page).toEqual({ url: `${SHOP}/cart`, title: 'Cart', referrer: 'https://search.example/' });
    expect(view.body.context).toMatchObject({ language: 'zh-CN', timeZone: 'Asia/Shanghai' });
    // Parley.setAttributes from an allowed page; refused from another.
    expect((await send(stack.baseUrl, { method: 'POST', path: '/api/visitor/attributes', token: visitor.token, json: { channel: 'web', embedOrigin: SHOP, attributes: { plan: 'silver' } } })).status).toBe(200);
    expect((await send(stack.baseUrl, { method: 'POST', path: '/api/visitor/attributes', token: visitor.token, json: { channel: 'web', embedOrigin: EVIL, attributes: { plan: 'x' } } })).status).toBe(403);
    const after = await http<VisitorContextView>(stack.baseUrl, 'GET', `/api/conversations/${c.id}/visitor-context`, { token: team.admin.token });
    expect(after.body.profile.attributes).toEqual({ plan: 'silver' });
  });
});
