import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { conversations, deskQueue, messages, visitors } from '../../db/schema.js';
import type { LeftMessage } from '../../domain/left-messages.js';
import { http as api, staffClient, type StaffClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { seriousAxeViolations } from './lib/axe.js';
import { WAIT } from './lib/staff.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { shotsDir } from './lib/shots.js';

/** Screenshots for people to look at (not compared). */
const SHOTS = shotsDir('widget-offline');

type Locale = 'en' | 'zh-CN';
const TEXTS = {
  en: { offline: 'Offline · You can leave us a message.', online: 'Online · Typically replies in 3 minutes', send: 'Send message' },
  'zh-CN': { offline: '离线 · 您可以给我们留言。', online: '在线 · 通常在 3 分钟内回复', send: '提交留言' },
} as const;

/** A shop's page on its own origin with the one-line embed. */
function hostPage(desk: string, locale: Locale): string {
  const zh = locale === 'zh-CN';
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${zh ? '极光表行' : 'Acme shop'}</title>
<style>body { margin: 0; padding: 2em; font: 16px sans-serif; background: #fafaf7; } main { max-width: 40em; }</style></head>
<body><main><h1>${zh ? '极光表行' : 'Acme shop'}</h1><p>${zh ? '手表、表带和礼品。' : 'Watches, straps and gifts.'}</p></main>
<script src="${desk}/widget.js" data-parley-channel="web" async></script>
</body></html>`;
}

async function hostServer(desk: string): Promise<{ origin: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const locale: Locale = new URL(req.url ?? '/', 'http://x').searchParams.get('lang') === 'zh-CN' ? 'zh-CN' : 'en';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(hostPage(desk, locale));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const launcher = (page: Page) => page.locator('parley-widget .launcher');
const launcherIn = (page: Page, status: string) => page.locator(`parley-widget .launcher[data-availability="${status}"]`);

async function chatFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 300; i++) {
    const frame = page.frames().find((f) => f.url().includes('/embed/'));
    if (frame) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error('the chat frame did not appear');
}

/**
 * Issue 19 inside the widget: with nobody online the launcher on the host page says so, the visitor opens it,
 * the flow's hand-off offers the leave-a-message form in the chat's frame, and staff get the message; when an
 * agent signs in, the launchers turn online without a reload. The product's offline defaults.
 */
describe('the widget when nobody can answer, on a site of another origin', () => {
  let stack: Stack;
  let browser: Browser;
  let site: { origin: string; close: () => void };
  let adminToken: string;
  let alice: StaffClient | undefined;
  const contexts: BrowserContext[] = [];
  /** The visitors of the first test, their chats still open on the host page. */
  const visitorPages: Array<{ page: Page; width: number; locale: Locale; name: string }> = [];

  const newPage = async (width: number, locale: Locale, clock = false) => {
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale, ...(width < 500 ? { isMobile: true, hasTouch: true } : {}) });
    contexts.push(context);
    if (clock) await context.clock.install();
    return context.newPage();
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

  beforeAll(async () => {
    ensureWebBuild();
    fs.mkdirSync(SHOTS, { recursive: true });
    stack = await startStack({ productOfflineDefaults: true, api: { availability: { pollMs: 300, cacheMs: 0 } } });
    site = await hostServer(stack.baseUrl);
    const admin = await staffClient(stack.baseUrl, 'admin@parley.local');
    admin.close();
    adminToken = admin.token;
    const saved = await api(stack.baseUrl, 'PATCH', '/api/channels/web/widget-settings', { token: adminToken, body: { allowedOrigins: [site.origin], color: '#0a7a3b', label: 'Chat with Acme' } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    // Recent service: three conversations an agent first answered 3 minutes after they queued ("typically replies in 3 minutes").
    const db = stack.database.db;
    const visitorId = randomUUID();
    await db.insert(visitors).values({ id: visitorId, displayName: 'Earlier visitor' });
    for (let i = 0; i < 3; i++) {
      const id = randomUUID();
      const queuedAt = new Date(Date.now() - 3_600_000);
      await db.insert(conversations).values({ id, workflowId: `conversation-${id}`, visitorId, channel: 'web', status: 'ended', flowId: 'x', flowVersion: 1, agentId: randomUUID(), endedAt: new Date(queuedAt.getTime() + 600_000) });
      await db.insert(deskQueue).values({ conversationId: id, deskId: 'earlier-desk', teamId: null, vip: false, visitorName: 'Earlier visitor', enqueuedAt: queuedAt, seq: i + 1, position: 0, queued: false, revision: 1 });
      await db.insert(messages).values({ id: randomUUID(), conversationId: id, sender: 'agent', body: { kind: 'text', text: 'hi' }, createdAt: new Date(queuedAt.getTime() + 180_000) });
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    alice?.close();
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    site?.close();
    await stack?.stop();
  });

  it('nobody online: the launcher says offline; inside the widget the visitor leaves a message that staff get (en, zh-CN; 1280, 390 px)', async () => {
    const cases: Array<[number, Locale, string]> = [[1280, 'en', 'Ada Lovelace'], [390, 'en', 'Grace Hopper'], [1280, 'zh-CN', '欧阳明月'], [390, 'zh-CN', '诸葛青云（上海浦东新区客户服务中心采购部）']];
    for (const [width, locale, name] of cases) {
      const page = await newPage(width, locale);
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(`${site.origin}/?lang=${locale}`);

      // ---- the launcher: a dot, and the state in its tooltip and accessible name ----
      await launcherIn(page, 'offline').waitFor(WAIT);
      expect(await launcher(page).getAttribute('aria-label')).toBe(`Chat with Acme · ${TEXTS[locale].offline}`);
      expect(await launcher(page).getAttribute('title')).toBe(TEXTS[locale].offline);
      expect(await page.locator('parley-widget .status.offline').isVisible()).toBe(true);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await shot(page, `${width}-${locale}-host-offline`);

      // ---- open it: the chat's header has one indicator, the same state ----
      await launcher(page).click();
      const frame = await chatFrame(page);
      await frame.getByTestId('menu-item').first().waitFor(WAIT);
      expect(await frame.getByTestId('channel-availability').getAttribute('data-status')).toBe('offline');
      expect(await frame.getByTestId('connection-status').count()).toBe(0); // connected: said by nothing

      // ---- "Talk to an agent": nobody online, the hand-off offers the form in the frame ----
      await frame.getByTestId('menu-item').first().click();
      await frame.getByTestId('leave-message-form').waitFor(WAIT);
      expect(await frame.getByTestId('leave-message-offer').getAttribute('data-reason')).toBe('nobodyOnline');
      expect(await frame.getByTestId('composer').count()).toBe(0);
      expect(await frame.getByTestId('leave-message-send').textContent()).toContain(TEXTS[locale].send);
      expect(await seriousAxeViolations(frame as unknown as Page)).toEqual([]);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await frame.getByTestId('leave-message-form').scrollIntoViewIfNeeded();
      await shot(page, `${width}-${locale}-widget-leave-message`);

      await frame.getByTestId('leave-message-name').fill(name);
      if (locale === 'en') await frame.getByTestId('leave-message-email').fill(`${name.split(' ')[0].toLowerCase()}@example.com`);
      else await frame.getByTestId('leave-message-phone').fill('+86 21 5555 0100');
      await frame.getByTestId('leave-message-text').fill(locale === 'en' ? `Order #1842 has not arrived (${width} px).` : `订单 PO-2026-000184229 至今没有收到（${width} px）。`);
      await frame.getByTestId('leave-message-send').click();
      await frame.locator('[data-testid="end"][data-closed-by="left-message"]').waitFor(WAIT);
      expect(await frame.getByTestId('leave-message-form').count()).toBe(0);
      await shot(page, `${width}-${locale}-widget-message-left`);
      expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
      visitorPages.push({ page, width, locale, name });
    }

    // ---- staff get every message, with its contact ----
    const left = await api<{ leftMessages: LeftMessage[] }>(stack.baseUrl, 'GET', '/api/left-messages', { token: adminToken });
    expect(left.status).toBe(200);
    const byName = new Map(left.body.leftMessages.map((m) => [m.name, m]));
    for (const [, locale, name] of cases) {
      expect(byName.get(name)).toMatchObject({ channel: 'web', reason: 'nobodyOnline', ...(locale === 'en' ? { email: expect.stringContaining('@example.com') } : { phone: '+86 21 5555 0100' }) });
    }
  });

  it('an agent signs in: the launchers turn online without a reload; a page whose chat was never opened within the minute', async () => {
    // A page whose chat was never opened follows by reading the availability every minute (its clock is ours).
    const idle = await newPage(1280, 'en', true);
    const reads: string[] = [];
    idle.on('request', (r) => { if (r.url().includes('/availability')) reads.push(r.url()); });
    await idle.goto(`${site.origin}/?lang=en`);
    await launcherIn(idle, 'offline').waitFor(WAIT);
    expect(reads).toHaveLength(1);

    alice = await staffClient(stack.baseUrl, 'alice@parley.local');
    expect(await alice.setStatus('online')).toMatchObject({ ok: true });

    // Visitors whose chat follows the channel are told at once.
    for (const { page, width, locale } of visitorPages) {
      await launcherIn(page, 'online').waitFor({ state: 'attached', ...WAIT }); // (a phone's open chat covers the launcher)
      expect(await launcher(page).getAttribute('aria-label')).toBe(`Chat with Acme · ${TEXTS[locale].online}`);
      const frame = await chatFrame(page);
      expect(await frame.getByTestId('channel-availability').getAttribute('data-status')).toBe('online');
      await frame.getByTestId('widget-minimize').click();
      await page.locator('parley-widget .panel').waitFor({ state: 'hidden', ...WAIT });
      expect(await page.locator('parley-widget .status.online').isVisible()).toBe(true);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await shot(page, `${width}-${locale}-host-online`);
    }

    // The idle page: nothing more within the minute; then one read, and it is online.
    await idle.clock.runFor(30_000);
    expect(await launcher(idle).getAttribute('data-availability')).toBe('offline');
    expect(reads).toHaveLength(1);
    await idle.clock.runFor(31_000);
    await launcherIn(idle, 'online').waitFor(WAIT);
    expect(reads).toHaveLength(2);
    expect(await launcher(idle).getAttribute('title')).toBe(TEXTS.en.online);

    // Opening the chat reads it again (the visitor sees the state as of now), and the header agrees.
    await alice.setStatus('away');
    await launcher(idle).click();
    const frame = await chatFrame(idle);
    await frame.locator('[data-testid="channel-availability"][data-status="away"]').waitFor(WAIT);
    await launcherIn(idle, 'away').waitFor(WAIT);
    expect(reads.length).toBeGreaterThanOrEqual(3);
  });
});
