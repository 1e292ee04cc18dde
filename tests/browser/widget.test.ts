import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack.js';
import { http as api, staffClient } from '../helpers/clients.js';
import { fixtures } from '../helpers/files.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { staffLogin, WAIT } from './lib/staff.js';
import type { WidgetSettings } from '../../domain/widget.js';
import { shotsDir } from './lib/shots.js';
import { widgetSnippets } from '../../domain/widget-snippet.js';

/** Screenshots for people to look at (not compared). */
const SHOTS = shotsDir('embed');

/** The snippet of docs/embedding.md: calls before widget.js loads are queued. */
const STUB = `window.Parley = window.Parley || (function (q) { var p = { q: q };
  ['identify', 'open', 'close', 'toggle', 'setLocale', 'setAttributes', 'track', 'on'].forEach(function (m) { p[m] = function () { q.push([m, [].slice.call(arguments)]); }; });
  return p; })([]);
  window.__events = []; ['ready', 'opened', 'closed', 'unread', 'identified', 'message', 'error'].forEach(function (e) { Parley.on(e, function (x) { window.__events.push([e, x]); }); });`;

function hostPage(desk: string, opts: { title: string; head?: string }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title}</title>
<style>
  /* A hostile host stylesheet: none of it may reach the launcher. */
  * { font-family: "Comic Sans MS", cursive !important; }
  button { background: hotpink !important; border-radius: 0 !important; display: none !important; }
  div { border: 3px dashed red; }
  body { margin: 0; padding: 2em; font: 16px sans-serif; background: #fafaf7; }
</style>
<script>${STUB}${opts.head ?? ''}</script></head>
<body><h1>${opts.title}</h1><p>Acme shop: watches, straps and gifts.</p>
<a id="next" href="/page2">Next page</a> <a id="spa" href="#">Product 42 (single-page navigation)</a>
<script>document.getElementById('spa').addEventListener('click', function (e) { e.preventDefault(); history.pushState({}, '', '/products/42'); document.title = 'Product 42'; });</script>
${widgetSnippets(desk, 'web').tag}
</body></html>`;
}

/** A site on its own origin: every path is a page with the loader; `?id=&hash=` identifies the visitor first. */
async function hostServer(desk: string): Promise<{ origin: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const id = url.searchParams.get('id');
    const hash = url.searchParams.get('hash');
    const head = id ? `Parley.identify(${JSON.stringify({ id, name: `User ${id}`, email: `${id}@example.com` })}${hash ? `, { hash: ${JSON.stringify(hash)} }` : ''});` : '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(hostPage(desk, { title: url.pathname === '/page2' ? 'Acme shop – page 2' : 'Acme shop', head }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const launcher = (page: Page) => page.locator('parley-widget .launcher');
const panel = (page: Page) => page.locator('parley-widget .panel');

async function chatFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 300; i++) {
    const frame = page.frames().find((f) => f.url().includes('/embed/'));
    if (frame) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error('the chat frame did not appear');
}

describe('the embeddable widget on a site of another origin', () => {
  let stack: Stack;
  let browser: Browser;
  let site: { origin: string; close: () => void };
  let otherSite: { origin: string; close: () => void };
  let adminToken: string;
  let settings: WidgetSettings;

  beforeAll(async () => {
    ensureWebBuild();
    fs.mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    site = await hostServer(stack.baseUrl);
    otherSite = await hostServer(stack.baseUrl);
    const admin = await staffClient(stack.baseUrl, 'admin@parley.local');
    admin.close();
    adminToken = admin.token;
    const saved = await api<WidgetSettings>(stack.baseUrl, 'PATCH', '/api/channels/web/widget-settings', { token: adminToken, body: { allowedOrigins: [site.origin], color: '#0a7a3b', label: 'Chat with Acme' } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    settings = saved.body;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    site?.close();
    otherSite?.close();
    await stack?.stop();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  /**
   * The visitor token the chat's frame holds: in its own storage, or (where the browser denies a third-party
   * frame its storage, as this headless Chromium does) in what the host page keeps for it.
   */
  const visitorToken = async (page: Page, frame: Frame): Promise<string> => {
    const own = await frame.evaluate(() => { try { return localStorage.getItem('parley.visitor.token'); } catch { return null; } });
    if (own) return own;
    const kept = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, string>, `parley.widget.frame:${stack.baseUrl}:web`);
    return kept['parley.visitor.token'];
  };
  /** The newest conversation of the visitor whose token the chat's frame holds. */
  const conversationOfVisitorToken = async (page: Page, frame: Frame) => {
    const token = await visitorToken(page, frame);
    const visitorId = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub as string;
    const { rows } = await stack.database.pool.query('select id from conversations where visitor_id = $1 order by created_at desc limit 1', [visitorId]);
    return rows[0]?.id as string | undefined;
  };

  it('embeds a launcher the host CSS cannot break; opens, chats, sends an image, follows navigation, reloads and spans two tabs', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const settingsReads: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/widget/')) settingsReads.push(r.url()); });
    await page.goto(`${site.origin}/`);
    await launcher(page).waitFor(WAIT);
    // A first visit: the launcher's look came with widget.js, no second request before drawing it.
    expect(settingsReads).toEqual([]);
    // The hostile stylesheet hides every button and paints them pink: not this one.
    expect(await launcher(page).isVisible()).toBe(true);
    const look = await launcher(page).evaluate((b) => ({ bg: getComputedStyle(b).backgroundColor, font: getComputedStyle(b).fontFamily }));
    expect(look.bg).toBe('rgb(10, 122, 59)');
    expect(look.font).not.toContain('Comic');
    expect(await launcher(page).getAttribute('aria-label')).toMatch(/^Chat with Acme( · |$)/); // then the channel's availability, once the chat's frame told it
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shot(page, '1280-host-closed');

    // ---- open: the chat loads in the frame, with the flow's greeting ----
    await launcher(page).click();
    await panel(page).waitFor({ state: 'visible', ...WAIT });
    const frame = await chatFrame(page);
    await frame.locator('[data-testid="menu"]').first().waitFor(WAIT);
    expect(await page.evaluate(() => (window as unknown as { __events: Array<[string]> }).__events.map((e) => e[0]))).toEqual(expect.arrayContaining(['ready', 'opened']));
    expect(await seriousAxeViolations(frame as unknown as Page)).toEqual([]);
    await shot(page, '1280-host-open');

    // ---- chat and an image ----
    await frame.getByTestId('composer-input').fill('Hello from the shop page');
    await frame.getByTestId('composer-send').click();
    await frame.locator('[data-testid="message"][data-sender="visitor"]', { hasText: 'Hello from the shop page' }).waitFor(WAIT);
    await frame.getByTestId('attach-input').setInputFiles({ name: 'watch.jpg', mimeType: 'image/jpeg', buffer: await fixtures.jpeg(320, 240) });
    await frame.getByTestId('file-thumbnail').first().waitFor(WAIT);
    const conversationId = await conversationOfVisitorToken(page, frame);
    expect(conversationId).toBeTruthy();
    const { rows: [origin] } = await stack.database.pool.query('select page_url, page_title from conversation_origins where conversation_id = $1', [conversationId]);
    expect(origin).toEqual({ page_url: `${site.origin}/`, page_title: 'Acme shop' });

    // ---- a single-page navigation is a page view; a real one keeps the chat open with its history ----
    await page.locator('#spa').click();
    await expect.poll(async () => (await stack.database.pool.query('select url from conversation_page_views where conversation_id = $1', [conversationId])).rows.map((r) => r.url), WAIT)
      .toContain(`${site.origin}/products/42`);
    await page.locator('#next').click();
    await page.waitForURL(`${site.origin}/page2`);
    await panel(page).waitFor({ state: 'visible', ...WAIT });
    const afterNav = await chatFrame(page);
    await afterNav.locator('[data-testid="message"]', { hasText: 'Hello from the shop page' }).waitFor(WAIT);
    await page.reload();
    const afterReload = await chatFrame(page);
    await afterReload.locator('[data-testid="message"]', { hasText: 'Hello from the shop page' }).waitFor(WAIT);
    expect(await conversationOfVisitorToken(page, afterReload)).toBe(conversationId);

    // ---- a second tab of the same site: the same conversation; closing in one closes both ----
    const second = await context.newPage();
    await second.goto(`${site.origin}/`);
    const secondFrame = await chatFrame(second);
    await secondFrame.locator('[data-testid="message"]', { hasText: 'Hello from the shop page' }).waitFor(WAIT);
    await secondFrame.getByTestId('composer-input').fill('Written in the second tab');
    await secondFrame.getByTestId('composer-send').click();
    await afterReload.locator('[data-testid="message"]', { hasText: 'Written in the second tab' }).waitFor(WAIT);
    expect(await conversationOfVisitorToken(second, secondFrame)).toBe(conversationId);
    await secondFrame.getByTestId('widget-minimize').click();
    await panel(second).waitFor({ state: 'hidden', ...WAIT });
    await panel(page).waitFor({ state: 'hidden', ...WAIT });

    // ---- closed: a reply of the desk shows as unread on the launcher (both tabs) ----
    const token = await visitorToken(second, secondFrame);
    const sent = await api(stack.baseUrl, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { clientId: crypto.randomUUID(), text: 'what else?' } });
    expect(sent.status).toBe(201);
    await page.locator('parley-widget .badge:not([hidden])').waitFor(WAIT); // the bot answered
    expect(Number(await launcher(page).getAttribute('data-unread'))).toBeGreaterThan(0);
    await shot(page, '1280-host-unread');
    await launcher(page).click();
    await expect.poll(() => launcher(second).getAttribute('data-unread'), WAIT).toBe('0');
    expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    await context.close();
  });

  it('on a phone: the open chat fills the screen, and setLocale switches it to Chinese', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${site.origin}/`);
    await launcher(page).waitFor(WAIT);
    await shot(page, '390-host-closed');
    await page.evaluate(() => { (window as unknown as { Parley: { setLocale(l: string): void; open(): void } }).Parley.setLocale('zh-CN'); });
    await page.evaluate(() => { (window as unknown as { Parley: { open(): void } }).Parley.open(); });
    const frame = await chatFrame(page);
    await frame.locator('.embed-title', { hasText: '在线咨询' }).waitFor(WAIT);
    await frame.locator('[data-testid="menu"]').first().waitFor(WAIT);
    const box = await page.locator('parley-widget .panel').boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 390 });
    expect(await seriousAxeViolations(frame as unknown as Page)).toEqual([]);
    await shot(page, '390-host-open-zh');
    await context.close();
  });

  it('identify: a valid hash makes one visitor across devices; a forged one stays unverified and sees nothing of theirs', async () => {
    const hash = createHmac('sha256', settings.identitySecret).update('u-77').digest('hex');
    const device = async (query: string) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(`${site.origin}/?${query}`);
      await launcher(page).click(WAIT);
      const frame = await chatFrame(page);
      await frame.locator('[data-testid="menu"]').first().waitFor(WAIT);
      const identity = await page.waitForFunction(() => (window as unknown as { __events: Array<[string, { identity: string }]> }).__events.find((e) => e[0] === 'identified')?.[1].identity, null, WAIT);
      return { context, page, frame, errors, identity: await identity.jsonValue() };
    };
    const first = await device(`id=u-77&hash=${hash}`);
    expect(first.identity).toBe('verified');
    await first.frame.getByTestId('composer-input').fill('Sent by u-77 on the laptop');
    // Says which went wrong if it does: the typed text lost, or the chat not sendable.
    await expect.poll(async () => ({
      typed: await first.frame.getByTestId('composer-input').inputValue(), sendable: await first.frame.getByTestId('composer-send').isEnabled(),
    }), WAIT).toEqual({ typed: 'Sent by u-77 on the laptop', sendable: true });
    await first.frame.getByTestId('composer-send').click();
    await first.frame.locator('[data-testid="message"]', { hasText: 'Sent by u-77 on the laptop' }).waitFor(WAIT);
    const { rows: [verified] } = await stack.database.pool.query(`select identity, display_name from visitors where external_id = 'u-77' and identity = 'verified'`);
    expect(verified).toEqual({ identity: 'verified', display_name: 'User u-77' });

    const phone = await device(`id=u-77&hash=${hash}`);
    expect(phone.identity).toBe('verified');
    await phone.frame.locator('[data-testid="message"]', { hasText: 'Sent by u-77 on the laptop' }).waitFor(WAIT);

    const forged = await device(`id=u-77&hash=${'0'.repeat(64)}`);
    expect(forged.identity).toBe('unverified');
    expect(forged.errors.join('\n')).toMatch(/\[Parley\] identify: the hash did not verify/);
    await forged.frame.waitForTimeout(1000);
    expect(await forged.frame.locator('[data-testid="message"]', { hasText: 'Sent by u-77 on the laptop' }).count()).toBe(0);

    // The agent sees the forged claim as unverified.
    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const alice = await agentContext.newPage();
    await staffLogin(alice, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await alice.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
    await alice.getByTestId('status-switch').selectOption('online');
    await forged.frame.getByTestId('menu-item').filter({ hasText: 'Talk to an agent' }).click();
    // (an earlier test's visitor may be waiting too: take this one's offer)
    await alice.locator('[data-testid="offer"]', { hasText: 'User u-77' }).getByTestId('offer-accept').click(WAIT);
    await alice.locator('[data-testid="conversation-item"]', { hasText: 'User u-77' }).click(WAIT);
    const badge = alice.locator('[data-testid="context-site-identity"][data-status="unverified"]');
    await badge.waitFor(WAIT);
    expect(await badge.textContent()).toContain('u-77');
    expect(await alice.getByTestId('context-page').textContent()).toContain(site.origin);
    expect(await seriousAxeViolations(alice)).toEqual([]);
    await alice.screenshot({ path: path.join(SHOTS, '1280-agent-unverified.png') });
    for (const c of [first.context, phone.context, forged.context, agentContext]) await c.close();
  });

  it('shows no chat on a site that is not allowed: a clear console error, and the frame refuses to render there', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${otherSite.origin}/`);
    await expect.poll(() => errors.find((e) => e.startsWith('[Parley]')), WAIT)
      .toBe(`[Parley] this site (${otherSite.origin}) is not allowed to embed the chat of channel "web". An admin of ${stack.baseUrl} can add it under Admin → Widget → Allowed origins.`);
    expect(await page.locator('parley-widget').count()).toBe(0);
    // widget.js?channel= judges the asking page by its Referer: the allowed site gets its look, this one is told no,
    // and an unknown channel or a missing Referer gets the plain loader (which then asks GET /api/widget/<channel>).
    const loaderFor = (query: string, referer?: string) => new Promise<string>((resolve, reject) => {
      http.get(`${stack.baseUrl}/widget.js${query}`, { headers: referer ? { referer } : {} }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve(body));
      }).on('error', reject);
    });
    const preloaded = (body: string) => /^\(window\.ParleyPreload = [^\n]*\)\["web"\] = (\{[^\n]*\});\n/.exec(body)?.[1];
    expect(JSON.parse(preloaded(await loaderFor('?channel=web', `${site.origin}/shop`)) ?? 'null')).toMatchObject({ channel: 'web', originAllowed: true });
    expect(JSON.parse(preloaded(await loaderFor('?channel=web', `${otherSite.origin}/`)) ?? 'null')).toMatchObject({ channel: 'web', originAllowed: false });
    expect(preloaded(await loaderFor('?channel=web'))).toBeUndefined();
    expect(await loaderFor('?channel=no-such-channel', `${site.origin}/`)).not.toContain('ParleyPreload =');
    // Framing the chat by hand: frame-ancestors stops it.
    const csp = (await fetch(`${stack.baseUrl}/embed/?channel=web`)).headers.get('content-security-policy');
    expect(csp).toContain(`frame-ancestors 'self' ${site.origin}`);
    await page.evaluate((src) => { const f = document.createElement('iframe'); f.src = src; document.body.append(f); }, `${stack.baseUrl}/embed/?channel=web&origin=${encodeURIComponent(site.origin)}`);
    await page.waitForTimeout(1500);
    const framed = page.frames().find((f) => f.url().includes('/embed/'));
    expect(framed ? await framed.locator('[data-testid="widget-chat"]').count() : 0).toBe(0);
    await context.close();
  });

  it('admin: the widget page edits the launcher and origins, refuses a bad origin, and shows the snippet and secret', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      await staffLogin(page, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
      await page.getByTestId('nav-widget').click();
      await page.getByTestId('widget-form').waitFor(WAIT);
      expect(await page.getByTestId('widget-snippet').textContent()).toBe(widgetSnippets(stack.baseUrl, 'web').afterLoad);
      expect(await page.getByTestId('widget-snippet-tag').textContent()).toBe(`<script src="${stack.baseUrl}/widget.js?channel=web" data-parley-channel="web" async></script>`);
      if (width === 1280) {
        await page.getByTestId('widget-origins').fill(`${site.origin}\nhttps://shop.example.com/path`);
        await page.getByTestId('widget-save').click();
        await page.getByTestId('widget-origins-error').waitFor(WAIT);
        expect(await page.getByTestId('widget-origins-error').textContent()).toMatch(/no path/);
        await page.getByTestId('widget-origins').fill(`${site.origin}\nhttps://shop.example.com`);
        await page.getByTestId('widget-label').fill('Questions? Ask us');
        await page.getByTestId('widget-icon-help').check();
        await page.getByTestId('widget-save').click();
        await page.getByTestId('widget-saved').waitFor(WAIT);
        const stored = await api<WidgetSettings>(stack.baseUrl, 'GET', '/api/channels/web/widget-settings', { token: adminToken });
        expect(stored.body).toMatchObject({ label: 'Questions? Ask us', icon: 'help', allowedOrigins: [site.origin, 'https://shop.example.com'] });
      }
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(SHOTS, `${width}-admin-widget.png`), fullPage: true });
      await context.close();
    }
  });
});
