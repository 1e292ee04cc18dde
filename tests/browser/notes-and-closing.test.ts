import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { http } from '../helpers/clients.js';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { shotsDir } from './lib/shots.js';

/**
 * Issue 18 in a real browser: Alice writes a private note mentioning Bob (Bob sees the mention, the visitor
 * never sees the note), tags the conversation, transfers it to Bob with a note (Bob sees the note and the
 * last messages before accepting), and Bob closes it with a call reason after confirming. axe-core runs on
 * the dialogs; screenshots at 1280 and 390 px go to shotsDir('notes').
 */
const SHOTS = shotsDir('notes');
const LONG_TAG = 'Complaint about a delayed international parcel delivery';
const CHINESE_TAG = '投诉与建议';

async function shoot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 820 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: false });
  }
  await page.setViewportSize({ width: 1280, height: 820 });
}

describe('notes, mentions, tags, transfer with a note and closing in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  let adminToken: string;
  const api = (method: string, path: string, body?: unknown) => http<any>(stack.baseUrl, method, path, { token: adminToken, body });

  beforeAll(async () => {
    ensureWebBuild();
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    adminToken = (await http<{ token: string }>(stack.baseUrl, 'POST', '/api/auth/login', { body: { email: 'admin@parley.local', password: TEST_PASSWORD } })).body.token;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('note with @bob, tags, transfer with a note, close with a call reason after confirming', async () => {
    // ---- the admin's lists and rules (API), then the admin page ----
    for (const [name, colour] of [['Refund', '#ffcc00'], [LONG_TAG, '#1d3557'], [CHINESE_TAG, '#e63946'], ['VIP', '#2a9d8f']]) {
      expect((await api('POST', '/api/tags', { name, colour })).status).toBe(201);
    }
    const reason = (await api('POST', '/api/call-reasons', { name: 'Delivery problem' })).body;
    await api('POST', '/api/call-reasons', { name: '账单问题 (billing)' });
    expect((await api('PUT', '/api/settings/closing', { tagRequired: true, callReasonRequired: true })).status).toBe(200);

    const admin = await (await browser.newContext({ viewport: { width: 1280, height: 820 } })).newPage();
    await staffLogin(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await admin.getByTestId('nav-classification').click();
    await admin.getByTestId('tag-row').first().waitFor(WAIT);
    expect(await admin.getByTestId('rule-tag').isChecked()).toBe(true);
    expect(await seriousAxeViolations(admin, 'main')).toEqual([]);
    await shoot(admin, 'admin-tags');

    // ---- Alice online, Bob signed in (offline for now); a visitor asks for an agent ----
    const alice = await (await browser.newContext({ viewport: { width: 1280, height: 820 } })).newPage();
    await staffLogin(alice, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    const bob = await (await browser.newContext({ viewport: { width: 1280, height: 820 } })).newPage();
    await staffLogin(bob, `${stack.baseUrl}/agent/login`, 'bob@parley.local');
    await alice.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
    await alice.getByTestId('status-switch').selectOption('online');
    await alice.locator('[data-testid="status-switch"][data-status="online"]').waitFor(WAIT);

    const visitor = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await visitor.goto(`${stack.baseUrl}/`);
    await visitor.getByTestId('menu-item').filter({ hasText: 'Talk to an agent' }).click();
    await alice.getByTestId('offer-accept').click(WAIT);
    const pane = alice.getByTestId('chat-pane');
    await pane.waitFor(WAIT);
    const conversationId = await pane.getAttribute('data-conversation-id');
    await visitor.getByTestId('composer-input').fill('My parcel is late');
    await visitor.getByTestId('composer-send').click();
    await pane.getByTestId('message').filter({ hasText: 'My parcel is late' }).waitFor(WAIT);

    // ---- a private note mentioning Bob, through the autocomplete ----
    await pane.getByTestId('note-open').click();
    const noteInput = pane.getByTestId('note-input');
    await noteInput.click();
    await noteInput.pressSequentially('Please check the refund @bo');
    await pane.getByTestId('mention-option').filter({ hasText: 'Bob' }).waitFor(WAIT);
    await noteInput.press('Enter'); // picks Bob
    expect(await noteInput.inputValue()).toBe('Please check the refund @Bob ');
    await noteInput.pressSequentially('thanks');
    await noteInput.press('Enter'); // sends
    const noteRow = pane.locator('[data-testid="message"][data-kind="note"]');
    await noteRow.filter({ hasText: '@Bob thanks' }).waitFor(WAIT);
    // Bob sees the mention; the visitor never sees the note.
    await bob.getByTestId('mention').filter({ hasText: 'Please check the refund @Bob thanks' }).waitFor(WAIT);
    await visitor.getByTestId('message').filter({ hasText: 'My parcel is late' }).waitFor(WAIT);
    await visitor.waitForTimeout(500);
    expect(await visitor.locator('[data-kind="note"]').count()).toBe(0);
    expect(await visitor.content()).not.toContain('Please check the refund');

    // ---- a supervisor watches the live conversation in the console and whispers to Alice ----
    await admin.goto(`${stack.baseUrl}/admin/conversations/${conversationId}`);
    await admin.getByTestId('message').filter({ hasText: 'My parcel is late' }).waitFor(WAIT);
    await admin.locator('[data-kind="note"]').filter({ hasText: '@Bob thanks' }).waitFor(WAIT); // notes are in the staff transcript
    await admin.getByTestId('whisper-input').fill('Offer the express re-shipment');
    await admin.getByTestId('whisper-input').press('Enter');
    await pane.locator('[data-testid="note"].whisper').filter({ hasText: 'Offer the express re-shipment' }).waitFor(WAIT);
    expect(await seriousAxeViolations(admin, 'main')).toEqual([]);
    await shoot(admin, 'admin-watch-whisper');
    await visitor.waitForTimeout(300);
    expect(await visitor.content()).not.toContain('express re-shipment');

    // ---- tags during the chat (long and Chinese names) ----
    // in the context panel beside the chat
    const panel = alice.getByTestId('workbench-details').locator('[data-slot="classification"]');
    for (const name of ['Refund', LONG_TAG, CHINESE_TAG]) await panel.getByTestId('tag-add').selectOption({ label: name });
    await panel.getByTestId('classification-save').click();
    await panel.getByTestId('classification-status').filter({ hasText: 'Saved' }).waitFor(WAIT);
    expect(await panel.getByTestId('tag-chip').count()).toBe(3);
    expect(await seriousAxeViolations(alice, '[data-testid="chat-pane"]')).toEqual([]);
    expect(await seriousAxeViolations(alice, '[data-testid="workbench-details"]')).toEqual([]);
    await shoot(alice, 'alice-note-and-tags');

    // ---- transfer to Bob with a note ----
    await bob.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
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
    await form.getByTestId('transfer-note').fill('VIP customer, wants a refund for the late parcel');
    await shoot(alice, 'alice-transfer-form');
    await form.getByTestId('transfer-submit').click();

    const request = bob.locator(`[data-testid="transfer-request"][data-conversation-id="${conversationId}"]`);
    await request.waitFor(WAIT);
    expect(await request.getByTestId('transfer-request-note').textContent()).toContain('VIP customer, wants a refund for the late parcel');
    expect(await request.getByTestId('transfer-visitor').textContent()).toBeTruthy();
    expect(await request.getByTestId('transfer-last-messages').textContent()).toContain('My parcel is late');
    expect(await request.getByTestId('transfer-wait').textContent()).toMatch(/waiting/i);
    expect(await seriousAxeViolations(bob, '[data-testid="transfer-requests"]')).toEqual([]);
    await shoot(bob, 'bob-transfer-request');
    expect(await visitor.content()).not.toContain('wants a refund');
    await request.getByTestId('transfer-accept').click();
    const bobPane = bob.locator(`[data-testid="chat-pane"][data-conversation-id="${conversationId}"]`);
    await bobPane.waitFor(WAIT);
    // The visitor is told once, in the flow's words, with no name printed twice.
    const told = visitor.getByTestId('transfer').filter({ hasText: 'Bob' });
    await told.waitFor(WAIT);
    expect((await told.textContent())!.trim()).toBe('You have been transferred to Bob.');
    // Bob sees the earlier note in the transcript.
    const bobNote = bobPane.locator('[data-testid="message"][data-kind="note"]').first();
    await bobNote.waitFor(WAIT);
    await bobNote.scrollIntoViewIfNeeded();
    await shoot(bob, 'bob-pane-with-note');

    // ---- Bob closes: confirmation dialog with the disposition form; the call reason is required ----
    await bobPane.getByTestId('close-conversation').click();
    const dialog = bob.getByTestId('close-dialog');
    await dialog.waitFor(WAIT);
    await expect.poll(() => dialog.getByTestId('tag-chip').count(), WAIT).toBe(3); // Alice's tags
    await dialog.getByTestId('close-confirm').click(); // without a call reason: refused by the server
    await dialog.getByTestId('close-error').filter({ hasText: 'call reason' }).waitFor(WAIT);
    expect(await seriousAxeViolations(bob, '[data-testid="close-dialog"]')).toEqual([]);
    await shoot(bob, 'bob-close-dialog');
    await dialog.getByTestId('call-reason').selectOption(reason.id);
    await dialog.getByTestId('handled-number').fill('TCK-2026-0042');
    await dialog.getByTestId('remarks').fill('Refund issued; parcel re-sent.');
    await dialog.getByTestId('close-confirm').click();
    await dialog.waitFor({ state: 'detached', ...WAIT });
    await bobPane.locator('[data-testid="chat-status"]').filter({ hasText: /rating|ended|closed/i }).waitFor(WAIT);
    await visitor.locator('[data-testid="conversation-status"][data-status="rating"]').waitFor(WAIT);
    await shoot(visitor, 'visitor-after-transfer');

    const saved = await api('GET', `/api/conversations/${conversationId}/classification`);
    expect(saved.body).toMatchObject({ callReasonId: reason.id, handledNumber: 'TCK-2026-0042', remarks: 'Refund issued; parcel re-sent.' });
    expect(saved.body.tags.map((t: { name: string }) => t.name).sort()).toEqual(['Refund', LONG_TAG, CHINESE_TAG].sort());
  });
});
