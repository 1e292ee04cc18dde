import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { visitors } from '../../db/schema.js';
import type { FlowDefinitionInput } from '../../domain/flow/schema.js';
import { http, staffClient, visitorClient, type VisitorClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { shotsDir } from './lib/shots.js';

const SHOTS = shotsDir('alerts');
const LONG_TOPIC = 'Orders, deliveries and returns for international shipments';
const LONG_ISSUE = 'A parcel that was marked as delivered but never arrived at my address (包裹显示已送达但我没有收到)';

/** Menu → menu → form → hand-off: an offer then has a long menu path and a form answer to show. */
const FLOW: FlowDefinitionInput = {
  start: 'topic',
  variables: ['order'],
  nodes: [
    { id: 'topic', type: 'menu', config: { header: 'What is it about?', items: [{ id: 'orders', content: LONG_TOPIC }] }, edges: [{ on: 'orders', to: 'which' }] },
    { id: 'which', type: 'menu', config: { header: 'Which one?', items: [{ id: 'lost', content: LONG_ISSUE }] }, edges: [{ on: 'lost', to: 'order' }] },
    { id: 'order', type: 'form', config: { prompt: 'Your order number?', formType: 'text', variable: 'order' }, edges: [{ on: 'next', to: 'handoff' }] },
    { id: 'handoff', type: 'handoff', config: { teamId: null, connected: 'You are chatting with ${agentName}.' }, edges: [{ on: 'failed', to: 'bye' }] },
    { id: 'bye', type: 'end', config: {} },
  ],
  settings: { rating: { enabled: false } },
};

/**
 * The browser's own AudioContext and Notification, replaced in the page by recorders (they are the browser's,
 * not Parley's): each tone started and each notification shown or closed is counted in `window.__alerts`.
 */
const STUB_BROWSER_ALERTS = () => {
  const rec = { tones: 0, notifications: [] as Array<{ title: string; body?: string; tag?: string }>, closed: [] as string[] };
  (window as unknown as { __alerts: typeof rec }).__alerts = rec;
  class RecordingAudioContext {
    state = 'running';
    currentTime = 0;
    destination = {};
    resume() { return Promise.resolve(); }
    createOscillator() {
      return { type: 'sine', frequency: { setValueAtTime() {} }, connect() {}, start() { rec.tones++; }, stop() {} };
    }
    createGain() {
      return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect() {} };
    }
  }
  class RecordingNotification {
    static permission: NotificationPermission = 'default';
    static requestPermission() {
      RecordingNotification.permission = 'granted';
      return Promise.resolve('granted' as NotificationPermission);
    }
    onclick: (() => void) | null = null;
    onclose: (() => void) | null = null;
    constructor(readonly title: string, readonly opts: { body?: string; tag?: string } = {}) {
      rec.notifications.push({ title, body: opts.body, tag: opts.tag });
    }
    close() { rec.closed.push(this.opts.tag ?? ''); }
  }
  Object.defineProperty(window, 'AudioContext', { value: RecordingAudioContext, configurable: true });
  Object.defineProperty(window, 'Notification', { value: RecordingNotification, configurable: true });
};

type Recorded = { tones: number; notifications: Array<{ title: string; body?: string; tag?: string }>; closed: string[] };
const recorded = (page: Page) => page.evaluate(() => (window as unknown as { __alerts: Recorded }).__alerts);

/** Every button in the region has an accessible name (text or aria-label). */
async function unnamedButtons(region: Locator): Promise<number> {
  return region.locator('button').evaluateAll((buttons) => buttons.filter((b) => !(b.getAttribute('aria-label') || b.textContent?.trim())).length);
}

/** Console errors and failed API calls (4xx/5xx) of a page: an offer or a transfer must cause none. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('response', (r) => { if (r.url().includes('/api/') && r.status() >= 400) errors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
  return errors;
}

describe('workbench alerts, offer cards, settings-driven controls and shortcuts in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  let adminToken: string;
  const visitorsOpen: VisitorClient[] = [];

  /** A visitor who goes through the flow to the queue (VIP when asked), having written a first message on the way. */
  async function arrive(name: string, opts: { vip?: boolean } = {}): Promise<VisitorClient> {
    const v = await visitorClient(stack.baseUrl, name, {
      beforeStart: opts.vip ? async (id) => { await stack.database.db.update(visitors).set({ vip: true }).where(eq(visitors.id, id)); } : undefined,
    });
    visitorsOpen.push(v);
    await v.waitForBody('menu', (b) => b.nodeId === 'topic');
    await v.send(LONG_TOPIC, 'orders');
    await v.waitForBody('menu', (b) => b.nodeId === 'which');
    await v.send(LONG_ISSUE, 'lost');
    await v.waitForBody('form');
    await v.send('PO-2026-0042');
    return v;
  }

  async function agentPage(email: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(STUB_BROWSER_ALERTS);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await staffLogin(page, `${stack.baseUrl}/agent/login`, email);
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
    return { page, errors };
  }

  /** Focus back on the page itself, as after clicking an empty spot. */
  const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  async function goOnline(page: Page) {
    await page.getByTestId('status-switch').selectOption('online');
    await page.locator('[data-testid="status-switch"][data-status="online"]').waitFor(WAIT);
  }

  beforeAll(async () => {
    ensureWebBuild();
    fs.mkdirSync(SHOTS, { recursive: true });
    stack = await startStack({ flow: FLOW });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const admin = await staffClient(stack.baseUrl, 'admin@parley.local');
    admin.close();
    adminToken = admin.token;
  });
  afterAll(async () => {
    for (const v of visitorsOpen) v.close();
    await browser?.close();
    await stack?.stop();
  });

  it('an offer shows what the visitor asked and alerts; accepting, a background message, shortcuts, a transfer; no console error or 403 throughout', async () => {
    const { page: alice, errors: aliceErrors } = await agentPage('alice@parley.local');
    const baseTitle = await alice.title();

    // Desktop notifications are asked for from a click in the alert settings, never on load.
    expect((await recorded(alice)).notifications).toEqual([]);
    await alice.getByTestId('alert-settings-open').click();
    const settings = alice.getByTestId('alert-settings');
    await settings.getByTestId('alert-desktop-permission').click();
    await settings.getByTestId('alert-desktop-allowed').waitFor(WAIT);
    await alice.keyboard.press('Escape');
    await settings.waitFor({ state: 'detached', ...WAIT });
    await goOnline(alice);

    // ---- an offer with the visitor's context ----
    const v1 = await arrive('王小明', { vip: true });
    const card = alice.locator(`[data-testid="offer"][data-conversation-id="${v1.conversation.id}"]`);
    await card.waitFor(WAIT);
    expect(await card.getByTestId('offer-visitor').textContent()).toBe('王小明');
    await card.getByTestId('offer-vip').waitFor(WAIT);
    expect(await card.getByTestId('offer-menu-path').textContent()).toBe(`${LONG_TOPIC} › ${LONG_ISSUE}`);
    expect(await card.getByTestId('offer-form-answers').textContent()).toContain('PO-2026-0042');
    expect(await card.getByTestId('offer-wait').textContent()).toMatch(/\d/);
    await expect.poll(async () => (await recorded(alice)).tones, WAIT).toBeGreaterThanOrEqual(1);
    expect((await recorded(alice)).notifications).toContainEqual(expect.objectContaining({ title: 'New chat: 王小明', tag: `offer:${v1.conversation.id}` }));
    await expect.poll(() => alice.title(), WAIT).toBe(`(1) ${baseTitle}`);
    expect(await seriousAxeViolations(alice, '[data-testid="offer-list"]')).toEqual([]);
    expect(await unnamedButtons(card)).toBe(0);
    await alice.screenshot({ path: `${SHOTS}/offer-card-1280.png` });
    await alice.setViewportSize({ width: 390, height: 844 });
    await card.scrollIntoViewIfNeeded();
    await alice.screenshot({ path: `${SHOTS}/offer-card-390.png`, fullPage: true });
    await alice.setViewportSize({ width: 1280, height: 800 });

    // ---- accept with the keyboard: the pane opens, the toast and the desktop notification go, the count too ----
    await blur(alice);
    await alice.keyboard.press('a');
    const pane1 = alice.locator(`[data-testid="chat-pane"][data-conversation-id="${v1.conversation.id}"]`);
    await pane1.waitFor(WAIT);
    await expect.poll(() => alice.getByTestId('notice-toast').filter({ hasText: 'New chat offered' }).count(), { timeout: 3000 }).toBe(0);
    expect((await recorded(alice)).closed).toContain(`offer:${v1.conversation.id}`);
    await expect.poll(() => alice.title(), WAIT).toBe(baseTitle);
    for (let i = 1; i <= 25; i++) await v1.send(`Line ${i} of my story`);
    await pane1.getByTestId('message').filter({ hasText: 'Line 25 of my story' }).waitFor(WAIT);

    // ---- a second chat; a message in the first (now in the background) alerts and counts ----
    const v2 = await arrive('Second visitor');
    await alice.locator(`[data-testid="offer"][data-conversation-id="${v2.conversation.id}"]`).getByTestId('offer-accept').click();
    await alice.locator(`[data-testid="chat-pane"][data-conversation-id="${v2.conversation.id}"]`).waitFor(WAIT);
    const tonesBefore = (await recorded(alice)).tones;
    await v1.send('Are you still there?');
    await expect.poll(async () => (await recorded(alice)).tones, WAIT).toBeGreaterThan(tonesBefore);
    expect((await recorded(alice)).notifications).toContainEqual(expect.objectContaining({ title: '王小明 wrote', body: 'Are you still there?' }));
    await expect.poll(() => alice.title(), WAIT).toBe(`(1) ${baseTitle}`);

    // ---- shortcuts: previous conversation (it shows its newest message), composer, help dialog ----
    await blur(alice);
    await alice.keyboard.press('k');
    await pane1.waitFor(WAIT);
    await expect.poll(() => alice.title(), WAIT).toBe(baseTitle);
    await expect.poll(() => pane1.getByTestId('message-list').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight), WAIT).toBeLessThan(4);
    await alice.keyboard.press('j');
    await alice.locator(`[data-testid="chat-pane"][data-conversation-id="${v2.conversation.id}"]`).waitFor(WAIT);
    await alice.keyboard.press('Alt+ArrowUp');
    await pane1.waitFor(WAIT);
    await alice.keyboard.press('/');
    const composer = pane1.getByTestId('composer-input');
    await expect.poll(() => composer.evaluate((el) => el === document.activeElement), WAIT).toBe(true);
    expect(await composer.inputValue()).toBe('/');
    await alice.keyboard.type('k'); // typing: no shortcut
    expect(await composer.inputValue()).toBe('/k');
    await pane1.waitFor(WAIT);
    await composer.fill('');
    await alice.keyboard.press('Escape');
    await expect.poll(() => composer.evaluate((el) => el !== document.activeElement), WAIT).toBe(true);

    await alice.keyboard.press('?');
    const help = alice.getByTestId('shortcuts-dialog');
    await help.waitFor(WAIT);
    expect(await help.getAttribute('role')).toBe('dialog');
    expect(await help.getAttribute('aria-modal')).toBe('true');
    const labelledBy = await help.getAttribute('aria-labelledby');
    expect(await alice.locator(`[id="${labelledBy}"]`).textContent()).toBe('Keyboard shortcuts');
    expect(await help.getByTestId('shortcut-transfer').textContent()).toContain('T');
    for (let i = 0; i < 4; i++) {
      await alice.keyboard.press('Tab');
      expect(await help.evaluate((el) => el.contains(document.activeElement))).toBe(true); // focus stays inside
    }
    expect(await seriousAxeViolations(alice, '[data-testid="shortcuts-dialog"]')).toEqual([]);
    await alice.screenshot({ path: `${SHOTS}/shortcuts-1280.png` });
    await alice.setViewportSize({ width: 390, height: 844 });
    await alice.screenshot({ path: `${SHOTS}/shortcuts-390.png` });
    await alice.setViewportSize({ width: 1280, height: 800 });
    await alice.keyboard.press('Escape');
    await help.waitFor({ state: 'detached', ...WAIT });
    // Opened from its button, focus goes back to the button.
    await alice.getByTestId('shortcuts-open').click();
    await help.waitFor(WAIT);
    await alice.keyboard.press('Escape');
    await help.waitFor({ state: 'detached', ...WAIT });
    expect(await alice.getByTestId('shortcuts-open').evaluate((el) => el === document.activeElement)).toBe(true);

    // ---- transfer with the keyboard; Bob gets the request's alert and accepts; no 403 on either side ----
    const { page: bob, errors: bobErrors } = await agentPage('bob@parley.local');
    await bob.getByTestId('alert-settings-open').click();
    await bob.getByTestId('alert-desktop-permission').click();
    await bob.getByTestId('alert-desktop-allowed').waitFor(WAIT);
    await bob.keyboard.press('Escape');
    await goOnline(bob);
    await blur(alice);
    await alice.keyboard.press('t');
    const transferForm = alice.getByTestId('transfer-form');
    await transferForm.waitFor(WAIT);
    await transferForm.getByTestId('transfer-kind-agent').check();
    const bobRow = await http<{ agents: Array<{ id: string; email: string }> }>(stack.baseUrl, 'GET', '/api/agents', { token: adminToken });
    const bobId = bobRow.body.agents.find((a) => a.email === 'bob@parley.local')!.id;
    const option = transferForm.locator(`[data-testid="transfer-option"][value="${bobId}"]`);
    await expect.poll(async () => {
      if ((await option.count()) === 1 && !(await option.isDisabled())) return true;
      await transferForm.getByTestId('transfer-reload').click();
      return false;
    }, { timeout: 30_000, interval: 1000 }).toBe(true);
    await transferForm.getByTestId('transfer-target').selectOption(bobId);
    await transferForm.getByTestId('transfer-submit').click();
    const request = bob.locator(`[data-testid="transfer-request"][data-conversation-id="${v1.conversation.id}"]`);
    await request.waitFor(WAIT);
    await expect.poll(async () => (await recorded(bob)).notifications.map((n) => n.title), WAIT).toContain('Alice wants to transfer a chat to you');
    expect((await recorded(bob)).tones).toBeGreaterThanOrEqual(1);
    await expect.poll(() => bob.title(), WAIT).toMatch(/^\(1\) /);
    await request.getByTestId('transfer-accept').click();
    await bob.locator(`[data-testid="chat-pane"][data-conversation-id="${v1.conversation.id}"]`).waitFor(WAIT);
    await alice.locator('[data-testid="transfer-outcome"][data-outcome="accepted"]').waitFor(WAIT);
    // the request's toast and notification went with it
    await expect.poll(() => bob.getByTestId('notice-toast').filter({ hasText: 'wants to transfer' }).count(), { timeout: 3000 }).toBe(0);
    expect((await recorded(bob)).closed).toContain((await recorded(bob)).notifications.find((n) => n.title.startsWith('Alice wants'))!.tag);

    // ---- close with the keyboard (the second chat) ----
    await alice.getByTestId('conversation-list-held').locator(`[data-conversation-id="${v2.conversation.id}"]`).click();
    await blur(alice);
    await alice.keyboard.press('Shift+C');
    await alice.getByTestId('close-dialog').getByTestId('close-confirm').click(); // "Close" asks first
    await alice.locator(`[data-testid="conversation-item"][data-conversation-id="${v2.conversation.id}"]:not([data-status="assigned"])`).waitFor(WAIT);

    await goOffline(bob); // the next test's offers go to Alice
    expect(aliceErrors).toEqual([]);
    expect(bobErrors).toEqual([]);
  });

  it('an alert kind switched off stays off after a reload (saved to the account) and silences its alerts', async () => {
    const { page: alice, errors } = await agentPage('alice@parley.local');
    await alice.getByTestId('alert-settings-open').click();
    await alice.getByTestId('alert-desktop-permission').click();
    await alice.getByTestId('alert-kind-offer').uncheck();
    await alice.getByTestId('alert-settings-saved').filter({ hasText: 'Saved' }).waitFor(WAIT);
    await alice.screenshot({ path: `${SHOTS}/alert-settings-1280.png` });
    await alice.setViewportSize({ width: 390, height: 844 });
    await alice.screenshot({ path: `${SHOTS}/alert-settings-390.png` });
    await alice.setViewportSize({ width: 1280, height: 800 });

    await alice.reload();
    await alice.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
    await alice.getByTestId('alert-settings-open').click();
    expect(await alice.getByTestId('alert-kind-offer').isChecked()).toBe(false);
    expect(await alice.getByTestId('alert-kind-message').isChecked()).toBe(true);
    await alice.getByTestId('alert-desktop-permission').click();
    await alice.keyboard.press('Escape');
    await goOnline(alice);
    const v = await arrive('Quiet please');
    const card = alice.locator(`[data-testid="offer"][data-conversation-id="${v.conversation.id}"]`);
    await card.waitFor(WAIT);
    await new Promise((r) => setTimeout(r, 500));
    expect(await recorded(alice)).toMatchObject({ tones: 0, notifications: [] });
    await expect.poll(() => alice.title(), WAIT).toMatch(/^\(1\) /); // still counted
    await card.getByTestId('offer-reject').click();
    await goOffline(alice);
    expect(errors).toEqual([]);
  });

  async function goOffline(page: Page) {
    await page.getByTestId('status-switch').selectOption('offline');
    await page.locator('[data-testid="status-switch"][data-status="offline"]').waitFor(WAIT);
  }

  it('"Join" and "My limit" show only when the desk allows them, and follow an admin\'s change without a reload', async () => {
    const { page: carol, errors } = await agentPage('bob@parley.local');
    await goOffline(carol);
    const v = await arrive('Waiting in line');
    const entry = carol.locator(`[data-testid="queue-entry"][data-conversation-id="${v.conversation.id}"]`);
    await expect.poll(async () => {
      if (await entry.count()) return true;
      await carol.getByTestId('queue-refresh').click();
      return false;
    }, { timeout: 20_000, interval: 500 }).toBe(true);
    expect(await entry.getByTestId('queue-join').count()).toBe(0);
    expect(await carol.getByTestId('max-conversations-form').count()).toBe(0);

    expect((await http(stack.baseUrl, 'PUT', '/api/settings/routing', { token: adminToken, body: { agentsMayJoinQueued: true, agentsMayChangeLimit: true } })).status).toBe(200);
    await entry.getByTestId('queue-join').waitFor(WAIT);
    await carol.getByTestId('max-conversations-form').waitFor(WAIT);
    await carol.getByTestId('status-switch').selectOption('busy');
    await entry.getByTestId('queue-join').click();
    await carol.locator(`[data-testid="chat-pane"][data-conversation-id="${v.conversation.id}"]`).waitFor(WAIT);

    await http(stack.baseUrl, 'PUT', '/api/settings/routing', { token: adminToken, body: { agentsMayJoinQueued: false, agentsMayChangeLimit: false } });
    await carol.getByTestId('max-conversations-form').waitFor({ state: 'detached', ...WAIT });
    expect(errors).toEqual([]);
  });
});
