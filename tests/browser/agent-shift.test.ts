import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { fixtures } from '../helpers/files.js';
import { http } from '../helpers/clients.js';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { shotsDir } from './lib/shots.js';

/**
 * Issue 18, an agent's shift through the real apps, as people would use them: a visitor picks "Talk to an agent"
 * in the full-page chat; Alice sees the offer with the visitor's context and accepts, answers with a canned reply
 * through `/`, receives an image and sends a file, writes a private note mentioning Bob, tags the conversation and
 * transfers it to Bob with a note; Bob closes it with a call reason (required at this desk), reloads, and finds it
 * again in My conversations by a word from the chat. The visitor never sees the note. axe-core runs on the
 * workbench at each step; screenshots at 1280, 900 and 390 px go to shotsDir('integrate').
 */
const SHOTS = shotsDir('integrate');
const VISITOR_NAME = '王小明 Wang Xiaoming-Featherstonehaugh of the Shenzhen Logistics Company';
const FIRST_MESSAGE = 'My parcel with the kumquat marmalade never arrived (包裹没有到)';
const NOTE = 'Customer is upset, please double-check the refund';
const TRANSFER_NOTE = 'Wants a refund for the lost kumquat parcel';

async function shoot(page: Page, name: string, widths = [1280, 900, 390]) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 820 };
  for (const width of widths) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 820 });
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png` });
  }
  await page.setViewportSize(original);
}

describe("an agent's shift in the workbench (browser)", () => {
  let stack: Stack;
  let browser: Browser;
  let adminToken: string;
  const api = (method: string, path: string, body?: unknown) => http<any>(stack.baseUrl, method, path, { token: adminToken, body });

  beforeAll(async () => {
    ensureWebBuild();
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    adminToken = (await http<{ token: string }>(stack.baseUrl, 'POST', '/api/auth/login', { body: { email: 'admin@parley.local', password: TEST_PASSWORD } })).body.token;
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('offer with context → canned reply → images and files → note with a mention → tag → transfer with a note → close with a call reason → found again after a reload', async () => {
    // ---- the desk, set up by the admin: a tag, a call reason (required), an organisation canned response ----
    expect((await api('POST', '/api/tags', { name: 'Refund', colour: '#ffcc00' })).status).toBe(201);
    const reason = (await api('POST', '/api/call-reasons', { name: 'Delivery problem' })).body as { id: string };
    expect((await api('PUT', '/api/settings/closing', { tagRequired: false, callReasonRequired: true })).status).toBe(200);
    expect((await api('POST', '/api/canned-responses', {
      scope: 'org', shortcut: 'sorry', title: 'Sorry for the wait', text: 'Sorry for the wait, ${visitorName}. I am ${agentName} and I will sort this out.',
    })).status).toBe(201);

    const errors: string[] = [];
    const open = async (width: number, who: string) => {
      const page = await (await browser.newContext({ viewport: { width, height: width === 390 ? 844 : 820 } })).newPage();
      page.on('pageerror', (e) => errors.push(`${who}: ${e.message}`));
      return page;
    };
    const alice = await open(1280, 'alice');
    await staffLogin(alice, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    const bob = await open(1280, 'bob');
    await staffLogin(bob, `${stack.baseUrl}/agent/login`, 'bob@parley.local');
    await alice.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
    expect(await seriousAxeViolations(alice)).toEqual([]); // the empty workbench
    await shoot(alice, 'workbench-empty');

    // ---- the visitor (named by the site that embeds the chat) asks for an agent and writes while queued ----
    const visitor = await open(390, 'visitor');
    await visitor.route('**/api/visitor/session', (route) => route.continue({ postData: JSON.stringify({ displayName: VISITOR_NAME }) }));
    await visitor.goto(`${stack.baseUrl}/`);
    await visitor.getByTestId('menu-item').filter({ hasText: 'Talk to an agent' }).click();
    await visitor.locator('[data-testid="conversation-status"][data-status="queued"]').waitFor(WAIT);
    await visitor.getByTestId('composer-input').fill(FIRST_MESSAGE);
    await visitor.getByTestId('composer-send').click();
    await visitor.getByTestId('message').filter({ hasText: FIRST_MESSAGE }).waitFor(WAIT);

    // ---- Alice goes online: the offer shows what the visitor asked ----
    await alice.getByTestId('status-switch').selectOption('online');
    const card = alice.getByTestId('offer');
    await card.waitFor(WAIT);
    expect(await card.getByTestId('offer-visitor').textContent()).toBe(VISITOR_NAME);
    expect(await card.getByTestId('offer-menu-path').textContent()).toBe('Talk to an agent');
    expect(await card.getByTestId('offer-first-message').textContent()).toBe(FIRST_MESSAGE);
    expect(await card.getByTestId('offer-wait').textContent()).toMatch(/\d/);
    expect(await seriousAxeViolations(alice)).toEqual([]);
    await shoot(alice, 'offer');
    await card.getByTestId('offer-accept').click();
    const pane = alice.getByTestId('chat-pane');
    await pane.waitFor(WAIT);
    const conversationId = (await pane.getAttribute('data-conversation-id'))!;
    await pane.getByTestId('message').filter({ hasText: FIRST_MESSAGE }).waitFor(WAIT);

    // ---- a canned reply through `/` ----
    const box = pane.getByTestId('composer-input');
    await box.click();
    await box.pressSequentially('/sor');
    await alice.locator('[data-testid="canned-option"][data-shortcut="sorry"]').waitFor(WAIT);
    await box.press('Enter'); // inserts
    const reply = `Sorry for the wait, ${VISITOR_NAME}. I am Alice and I will sort this out.`;
    expect(await box.inputValue()).toBe(reply);
    await box.press('Enter'); // sends
    await visitor.getByTestId('message').filter({ hasText: reply }).waitFor(WAIT);

    // ---- the visitor sends a photo; Alice sees its thumbnail. Alice sends a PDF; the visitor sees it ----
    const photo = await sharp({ create: { width: 480, height: 320, channels: 3, background: { r: 40, g: 140, b: 90 } } }).png().toBuffer();
    await visitor.getByTestId('attach-input').setInputFiles({ name: 'parcel-label.png', mimeType: 'image/png', buffer: photo });
    const thumb = pane.getByTestId('file-thumbnail');
    await thumb.waitFor(WAIT);
    await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0), WAIT).toBe(true);
    await alice.getByTestId('attach-input').setInputFiles({ name: 'refund-form.pdf', mimeType: 'application/pdf', buffer: fixtures.pdf() });
    await visitor.getByTestId('file-message').getByTestId('file-name').filter({ hasText: 'refund-form.pdf' }).waitFor(WAIT);
    expect(await seriousAxeViolations(alice)).toEqual([]);
    await shoot(alice, 'chat-with-files');
    await shoot(visitor, 'visitor-chat', [390, 1280]);

    // ---- a private note mentioning Bob; Bob's workbench shows the mention ----
    await pane.getByTestId('note-open').click();
    const noteInput = pane.getByTestId('note-input');
    await noteInput.click();
    await noteInput.pressSequentially(`${NOTE} @bo`);
    await pane.getByTestId('mention-option').filter({ hasText: 'Bob' }).waitFor(WAIT);
    await noteInput.press('Enter'); // picks Bob
    await noteInput.press('Enter'); // sends
    await pane.locator('[data-testid="message"][data-kind="note"]').filter({ hasText: NOTE }).waitFor(WAIT);
    await bob.getByTestId('mention').filter({ hasText: NOTE }).waitFor(WAIT);

    // ---- a tag, in the context panel beside the chat ----
    const classification = alice.getByTestId('workbench-details').locator('[data-slot="classification"]');
    await classification.getByTestId('tag-add').selectOption({ label: 'Refund' });
    await classification.getByTestId('classification-save').click();
    await classification.getByTestId('classification-status').filter({ hasText: 'Saved' }).waitFor(WAIT);
    expect(await classification.getByTestId('tag-chip').count()).toBe(1);
    expect(await seriousAxeViolations(alice)).toEqual([]);
    await shoot(alice, 'note-and-tag');

    // ---- narrower layouts: the details drawer at tablet width, the top bar's More menu on a phone ----
    await alice.setViewportSize({ width: 900, height: 820 });
    await alice.getByTestId('context-toggle').click();
    await classification.getByTestId('tag-chip').waitFor(WAIT);
    expect(await seriousAxeViolations(alice)).toEqual([]);
    await alice.screenshot({ path: `${SHOTS}/details-drawer-900.png` });
    await alice.getByTestId('pane-back-to-chat').click();
    await alice.setViewportSize({ width: 390, height: 844 });
    expect(await alice.getByTestId('history-open').isVisible()).toBe(false); // folded
    await alice.getByTestId('topbar-menu-toggle').click();
    await alice.getByTestId('history-open').waitFor({ state: 'visible', ...WAIT });
    expect(await seriousAxeViolations(alice)).toEqual([]);
    await alice.screenshot({ path: `${SHOTS}/topbar-menu-390.png` });
    await alice.keyboard.press('Escape');
    await alice.getByTestId('history-open').waitFor({ state: 'hidden', ...WAIT });
    await alice.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await alice.keyboard.press('?'); // a shortcut opens its dialog from the folded menu
    await alice.getByTestId('shortcuts-dialog').waitFor({ state: 'visible', ...WAIT });
    await alice.screenshot({ path: `${SHOTS}/shortcuts-390.png` });
    await alice.keyboard.press('Escape');
    await alice.getByTestId('shortcuts-dialog').waitFor({ state: 'detached', ...WAIT });
    await alice.setViewportSize({ width: 1280, height: 820 });

    // ---- transfer to Bob with a note; Bob sees it, the visitor's name and the last messages before accepting ----
    await bob.getByTestId('status-switch').selectOption('online');
    await bob.locator('[data-testid="status-switch"][data-status="online"]').waitFor(WAIT);
    await alice.getByTestId('transfer-open').click();
    const form = alice.getByTestId('transfer-form');
    await form.getByTestId('transfer-kind-agent').check();
    const bobOption = form.locator('[data-testid="transfer-option"]').filter({ hasText: 'Bob' });
    await expect.poll(async () => {
      if ((await bobOption.count()) === 1 && !(await bobOption.isDisabled())) return true;
      await form.getByTestId('transfer-reload').click();
      return false;
    }, { timeout: 30_000, interval: 1000 }).toBe(true);
    await form.getByTestId('transfer-target').selectOption({ label: (await bobOption.textContent())!.trim() });
    await form.getByTestId('transfer-note').fill(TRANSFER_NOTE);
    await form.getByTestId('transfer-submit').click();
    const request = bob.locator(`[data-testid="transfer-request"][data-conversation-id="${conversationId}"]`);
    await request.waitFor(WAIT);
    expect(await request.getByTestId('transfer-request-note').textContent()).toContain(TRANSFER_NOTE);
    expect(await request.getByTestId('transfer-visitor').textContent()).toContain(VISITOR_NAME);
    expect(await request.getByTestId('transfer-last-messages').textContent()).toMatch(/kumquat|Sorry for the wait|refund-form/);
    expect(await seriousAxeViolations(bob)).toEqual([]);
    await shoot(bob, 'transfer-request');
    await request.getByTestId('transfer-accept').click();
    const bobPane = bob.locator(`[data-testid="chat-pane"][data-conversation-id="${conversationId}"]`);
    await bobPane.waitFor(WAIT);
    await bobPane.locator('[data-testid="message"][data-kind="note"]').filter({ hasText: NOTE }).waitFor(WAIT);
    await visitor.getByTestId('transfer').filter({ hasText: 'Bob' }).waitFor(WAIT);

    // ---- Bob closes: the call reason is required ----
    await bobPane.getByTestId('close-conversation').click();
    const dialog = bob.getByTestId('close-dialog');
    await dialog.waitFor(WAIT);
    await dialog.getByTestId('close-confirm').click();
    await dialog.getByTestId('close-error').filter({ hasText: 'call reason' }).waitFor(WAIT);
    expect(await seriousAxeViolations(bob)).toEqual([]);
    await shoot(bob, 'close-dialog');
    await dialog.getByTestId('call-reason').selectOption(reason.id);
    await dialog.getByTestId('close-confirm').click();
    await dialog.waitFor({ state: 'detached', ...WAIT });
    await visitor.locator('[data-testid="conversation-status"][data-status="rating"]').waitFor(WAIT);

    // ---- the visitor never saw the note nor the transfer note ----
    const visitorPage = await visitor.content();
    expect(visitorPage).not.toContain(NOTE);
    expect(visitorPage).not.toContain(TRANSFER_NOTE);
    expect(await visitor.locator('[data-kind="note"]').count()).toBe(0);

    // ---- Bob reloads, opens My conversations, searches a word from the chat and reads the transcript ----
    await bob.reload();
    await bob.getByTestId('current-user').waitFor(WAIT);
    await bob.getByTestId('history-open').click();
    await bob.getByTestId('history').waitFor(WAIT);
    await bob.getByTestId('history-search').fill('kumquat');
    await bob.getByTestId('history-search-submit').click();
    const item = bob.locator(`[data-testid="history-item"][data-conversation-id="${conversationId}"]`);
    await item.waitFor(WAIT);
    await item.click();
    const transcript = bob.getByTestId('transcript');
    await transcript.getByTestId('message').filter({ hasText: FIRST_MESSAGE }).waitFor(WAIT);
    await transcript.getByTestId('message').filter({ hasText: reply }).waitFor(WAIT);
    expect(await transcript.getByTestId('composer-input').count()).toBe(0); // read-only
    expect(await seriousAxeViolations(bob)).toEqual([]);
    await shoot(bob, 'history-transcript');
    expect(errors).toEqual([]);
  }, 300_000);
});
