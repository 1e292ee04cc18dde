import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { http, type StaffClient, type VisitorClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { conversationHeldBy, staff } from '../security/lib/principals.js';
import { waitUntil } from '../integration/routing/helpers.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { shotsDir } from './lib/shots.js';

const SHOTS = shotsDir('search');
const LONG_NAME = 'Maximilian Alexander Featherstonehaugh-Wolfeschlegelstein 王小明 of Longford';

/**
 * Issue 21: an admin finds a conversation by a word from it, opens its transcript (rating comment,
 * timeline, notes), exports the results as CSV, follows a report's drill-down link; the empty and
 * "no results" states; the console in Chinese; axe on each screen; screenshots at 1280 and 390.
 */
describe('admin search (browser)', () => {
  let stack: Stack;
  let browser: Browser;
  let team: { alice: StaffClient; bob: StaffClient; admin: StaffClient };
  let served: VisitorClient;

  beforeAll(async () => {
    ensureWebBuild();
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    fs.mkdirSync(SHOTS, { recursive: true });
    team = await staff(stack.baseUrl);
    served = await conversationHeldBy(stack.baseUrl, team.alice, LONG_NAME);
    const id = served.conversation.id;
    expect((await served.send('The marmalade jar arrived broken, glass everywhere')).ok).toBe(true);
    expect((await served.send('果酱瓶子碎了，请帮我退款')).ok).toBe(true);
    expect((await team.alice.send(id, 'So sorry! A new jar of marmalade is on its way.')).ok).toBe(true);
    expect((await http(stack.baseUrl, 'POST', `/api/conversations/${id}/notes`, { token: team.alice.token, body: { clientId: randomUUID(), text: 'Courier damage, claim filed' } })).status).toBe(201);
    expect((await team.alice.closeConversation(id)).ok).toBe(true);
    await served.waitForBody('rating-invite');
    expect((await served.rate(4, 'Quick replacement, thanks 谢谢')).ok).toBe(true);
    await waitUntil(async () => (await stack.database.pool.query('select rating from conversations where id = $1', [id])).rows[0]?.rating === 4, 'rated');
  }, 180_000);
  afterAll(async () => {
    served?.close();
    for (const c of Object.values(team ?? {})) c.close();
    await browser?.close();
    await stack?.stop();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: true });

  it('finds a conversation by a word from it, opens its transcript and exports the results as CSV', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'en-US' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await staffLogin(page, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-total').waitFor(WAIT);

    await page.getByTestId('search-q').fill('marmalade');
    await page.getByTestId('search-submit').click();
    await page.waitForURL(/q=marmalade/);
    const result = page.getByTestId('search-result').filter({ hasText: 'Featherstonehaugh' });
    await result.locator('mark').first().waitFor(WAIT);
    expect(await page.getByTestId('search-result').count()).toBe(1);
    expect((await result.locator('mark').first().textContent())?.toLowerCase()).toBe('marmalade');
    expect(await page.getByTestId('search-total').textContent()).toContain('1 conversation');
    await shot(page, 'search-results-1280.png');
    expect(await seriousAxeViolations(page, 'main')).toEqual([]);

    // the export carries the same filters
    const download = page.waitForEvent('download');
    await page.getByTestId('search-export').click();
    const file = await (await download).path();
    const csv = fs.readFileSync(file, 'utf8');
    expect(csv.split('\r\n')[0]).toContain('conversation_id,created_at');
    expect(csv).toContain(served.conversation.id);
    expect(csv).toContain('Quick replacement, thanks 谢谢');
    expect(csv.trim().split('\r\n')).toHaveLength(2);

    // the transcript with its record
    await result.getByTestId('search-open').click();
    await page.waitForURL(new RegExp(`/admin/conversations/${served.conversation.id}`));
    await page.getByTestId('message').filter({ hasText: '果酱瓶子碎了' }).waitFor(WAIT);
    const record = page.getByTestId('conversation-record');
    await record.getByTestId('record-rating-comment').filter({ hasText: 'Quick replacement, thanks 谢谢' }).waitFor(WAIT);
    await record.getByTestId('record-timeline').getByText('Ended', { exact: true }).waitFor(WAIT);
    await record.getByTestId('record-notes').getByText('Courier damage, claim filed').waitFor(WAIT);
    expect(await page.getByTestId('temporal-link').getAttribute('href')).toContain(served.conversation.id);
    await shot(page, 'transcript-1280.png');
    await record.screenshot({ path: path.join(SHOTS, 'transcript-record-1280.png') });
    expect(await seriousAxeViolations(page, 'main')).toEqual([]);

    const text = page.waitForEvent('download');
    await record.getByTestId('export-text').click();
    expect(fs.readFileSync(await (await text).path(), 'utf8')).toContain('[Private note] Courier damage, claim filed');

    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'transcript-390.png');
    await record.scrollIntoViewIfNeeded();
    await record.screenshot({ path: path.join(SHOTS, 'transcript-record-390.png') });
    expect(await seriousAxeViolations(page, 'main')).toEqual([]);
    await page.getByTestId('back-to-search').click();
    await page.waitForURL(/\/admin\/search\?q=marmalade/);
    await result.waitFor(WAIT);
    await shot(page, 'search-results-390.png');

    // no results
    await page.getByTestId('search-q').fill('xylophonequartz');
    await page.getByTestId('search-submit').click();
    await page.getByTestId('search-empty').waitFor(WAIT);
    expect(await page.getByTestId('search-empty').textContent()).toContain('No conversation matches');
    await shot(page, 'search-no-results-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await shot(page, 'search-no-results-1280.png');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lands on the filtered list from a report\'s drill-down link, in Chinese', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await staffLogin(page, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`${stack.baseUrl}/admin/search?from=${today}&to=${today}&tz=UTC&agentId=${team.alice.userId}&rating=4`);
    const result = page.getByTestId('search-result').filter({ hasText: 'Featherstonehaugh' });
    await result.waitFor(WAIT);
    expect(await page.getByTestId('search-from').inputValue()).toBe(today);
    expect(await page.getByTestId('search-agent').inputValue()).toBe(team.alice.userId);
    await page.getByTestId('search-q').fill('退款');
    await page.getByTestId('search-submit').click();
    await result.locator('mark').filter({ hasText: '退款' }).waitFor(WAIT);
    await shot(page, 'search-zh-1280.png');
    expect(await seriousAxeViolations(page, 'main')).toEqual([]);
    await result.getByTestId('search-open').click();
    await page.getByTestId('conversation-record').getByTestId('record-rating-comment').waitFor(WAIT);
    await shot(page, 'transcript-zh-1280.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goBack();
    await result.waitFor(WAIT);
    await shot(page, 'search-zh-390.png');
    await context.close();
  });
});
