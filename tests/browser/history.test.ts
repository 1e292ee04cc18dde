import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { operations } from '../../client/operations.js';
import { restClient } from '../../client/rest.js';
import type { ChatMessage } from '../../domain/messages.js';
import { visitorClient, type VisitorClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { shotsDir } from './lib/shots.js';

/** Screenshots for people to look at (not compared): tests/browser/lib/shots.ts says where. */
const SHOTS = shotsDir('history');

const LONG_NAME = 'Maximilian Alexander Featherstonehaugh-Wolfeschlegelstein 王小明';

describe('history in the workbench (browser)', () => {
  let stack: Stack;
  let browser: Browser;
  const visitors: VisitorClient[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    for (const v of visitors) v.close();
    await browser?.close();
    await stack?.stop();
  });

  /** A visitor asks for an agent (through the default flow's menu), optionally in a new conversation of an existing visitor. */
  async function askForAgent(visitor: VisitorClient, conversationId = visitor.conversation.id) {
    const menu = await visitor.waitFor<ChatMessage>('message', (m) => m.conversationId === conversationId && m.body.kind === 'menu');
    const items = menu.body.kind === 'menu' ? menu.body.items : [];
    const talk = items.find((i) => /agent/i.test(i.content)) ?? items[0];
    expect((await visitor.send(talk.content, talk.id)).ok).toBe(true);
  }

  async function serveAndClose(page: Page, visitor: VisitorClient, conversationId: string, lines: string[]) {
    await page.getByTestId('offer-accept').click(WAIT);
    const pane = page.locator(`[data-testid="chat-pane"][data-conversation-id="${conversationId}"]`);
    await pane.waitFor(WAIT);
    for (const line of lines) expect((await visitor.send(line)).ok).toBe(true);
    await page.getByTestId('message').filter({ hasText: lines[lines.length - 1] }).waitFor(WAIT);
    await page.getByTestId('composer-input').fill('Thanks, I will look into the kumquat order right away.');
    await page.getByTestId('composer-send').click();
    await page.getByTestId('close-conversation').click();
    await page.getByTestId('close-dialog').getByTestId('close-confirm').click(); // "Close" asks first
    await pane.getByTestId('chat-status').filter({ hasNotText: 'With agent' }).waitFor(WAIT);
  }

  it('an agent finds a closed conversation again after a reload by a word from it, and reads it', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await staffLogin(page, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await page.getByTestId('status-switch').selectOption('online');

    const visitor = await visitorClient(stack.baseUrl, LONG_NAME);
    visitors.push(visitor);
    await askForAgent(visitor);
    await serveAndClose(page, visitor, visitor.conversation.id, [
      'My kumquat jam order never arrived',
      '我的快递还没到，订单号是 8812',
      '<img src=x onerror="document.title=\'pwned\'"> was printed on the label',
    ]);

    await page.reload();
    await page.getByTestId('current-user').waitFor(WAIT);
    expect(await page.locator(`[data-testid="conversation-item"][data-conversation-id="${visitor.conversation.id}"]`).count()).toBe(0); // gone from the live list

    await page.getByTestId('history-open').click();
    await page.getByTestId('history').waitFor(WAIT);
    await page.getByTestId('history-search').fill('kumquat');
    await page.getByTestId('history-search-submit').click();
    const item = page.locator(`[data-testid="history-item"][data-conversation-id="${visitor.conversation.id}"]`);
    await item.waitFor(WAIT);
    expect(await item.locator('mark').first().textContent()).toBe('kumquat');
    await page.screenshot({ path: path.join(SHOTS, 'history-search-1280.png') });

    await item.click();
    const transcript = page.getByTestId('transcript');
    await transcript.getByTestId('message').filter({ hasText: 'My kumquat jam order never arrived' }).waitFor(WAIT);
    await transcript.getByTestId('message').filter({ hasText: '我的快递还没到' }).waitFor(WAIT);
    expect(await page.locator('[data-testid="history"] img, [data-testid="transcript"] img').count()).toBe(0); // user text stays text
    expect(await page.title()).not.toBe('pwned');
    expect(page.url()).toContain(`/agent/history/${visitor.conversation.id}`);
    expect(await transcript.getByTestId('composer-input').count()).toBe(0); // read-only
    await page.screenshot({ path: path.join(SHOTS, 'history-transcript-1280.png') });

    // Chinese: a substring of a longer run of characters
    await page.getByTestId('history-search').fill('快递');
    await page.getByTestId('history-search-submit').click();
    await page.locator('[data-testid="history-item"] mark').filter({ hasText: '快递' }).waitFor(WAIT);
    await page.screenshot({ path: path.join(SHOTS, 'history-chinese-1280.png') });

    // a deep link survives a reload too
    await page.reload();
    await page.getByTestId('transcript').getByTestId('message').filter({ hasText: 'kumquat jam' }).waitFor(WAIT);

    expect(await seriousAxeViolations(page, '[data-testid="history"]')).toEqual([]);

    // the phone layout: the transcript alone with a way back, then the list
    await page.setViewportSize({ width: 390, height: 800 });
    await page.screenshot({ path: path.join(SHOTS, 'history-transcript-390.png') });
    expect(await seriousAxeViolations(page, '[data-testid="history"]')).toEqual([]);
    await page.getByRole('link', { name: 'Back to the results' }).click();
    await page.getByTestId('history-search').fill('zebra');
    await page.getByTestId('history-search-submit').click();
    await page.getByTestId('history-empty').waitFor(WAIT);
    expect(await page.getByTestId('history-empty').textContent()).toContain('Nothing matches');
    await page.screenshot({ path: path.join(SHOTS, 'history-no-results-390.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(SHOTS, 'history-no-results-1280.png') });
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByTestId('history-search').fill('kumquat');
    await page.getByTestId('history-search-submit').click();
    await item.waitFor(WAIT);
    await page.screenshot({ path: path.join(SHOTS, 'history-search-390.png') });
    await item.click();
    await transcript.getByTestId('message').filter({ hasText: 'kumquat jam' }).waitFor(WAIT);
    expect(errors).toEqual([]);

    // the same visitor comes back: the serving agent sees the earlier conversation beside the chat and opens it
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('history-close').click();
    await page.getByTestId('history').waitFor({ state: 'detached' });
    const next = await restClient(stack.baseUrl).call(operations.startConversation, { token: visitor.token, body: { new: true } });
    await askForAgent(visitor, next.id);
    await page.getByTestId('offer-accept').click(WAIT);
    const previous = page.getByTestId('workbench-details').locator('[data-slot="history"] [data-testid="visitor-history"]');
    await previous.waitFor(WAIT);
    await previous.locator('summary').click();
    await previous.getByTestId('visitor-history-item').first().click();
    const dialog = page.getByTestId('transcript-dialog');
    await dialog.getByTestId('message').filter({ hasText: 'kumquat jam' }).waitFor(WAIT);
    await page.screenshot({ path: path.join(SHOTS, 'visitor-previous-dialog-1280.png') });
    expect(await seriousAxeViolations(page, '[data-testid="transcript-dialog"]')).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(SHOTS, 'visitor-previous-1280.png') });
    await page.setViewportSize({ width: 390, height: 800 });
    await page.screenshot({ path: path.join(SHOTS, 'visitor-previous-390.png') });
  }, 240_000);

  it('an agent with no history sees an empty state', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await staffLogin(page, `${stack.baseUrl}/agent/login`, 'bob@parley.local');
    await page.goto(`${stack.baseUrl}/agent/history`);
    await page.getByTestId('history-empty').waitFor(WAIT);
    expect(await page.getByTestId('history-empty').textContent()).toContain('No conversations yet');
    await page.screenshot({ path: path.join(SHOTS, 'history-empty-1280.png') });
    await page.setViewportSize({ width: 390, height: 800 });
    await page.screenshot({ path: path.join(SHOTS, 'history-empty-390.png') });
    expect(await seriousAxeViolations(page, '[data-testid="history"]')).toEqual([]);
    // a transcript bob may not read: a clear message, nothing of the conversation
    await page.goto(`${stack.baseUrl}/agent/history/${randomUUID()}`);
    await page.getByTestId('transcript').getByRole('alert').waitFor(WAIT);
  }, 120_000);
});
