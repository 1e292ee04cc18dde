import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { restClient } from '../../client/rest.js';
import { operations as ops } from '../../client/operations.js';
import { staffClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { shotsDir } from './lib/shots.js';

/** Screenshots of these screens at both widths, for a person to look at (SHOTS_DIR overrides where). */
const SHOTS = shotsDir('canned');
const LONG_TITLE = 'A very long title for a canned response that explains in detail how a refund for a damaged parcel is handled';

async function shoot(page: Page, name: string, widths: number[] = [1280, 390]) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 800 };
  for (const width of widths) {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 800 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: false });
  }
  await page.setViewportSize(original);
}

describe('canned responses in a real browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('an admin imports a CSV in the admin page: bad rows listed by line and nothing imported, then a good file', async () => {
    const admin = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await staffLogin(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await admin.getByTestId('nav-canned').click();
    await admin.getByTestId('canned-empty').waitFor(WAIT);

    const bad = 'shortcut,title,text,category\ngreeting,Greeting,Hello,\nhas space,Bad,Text,\ngreeting,Twice,Again,\n';
    await admin.getByTestId('canned-import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const problems = admin.getByTestId('canned-import-problems');
    await problems.waitFor(WAIT);
    expect(await admin.getByTestId('canned-import-error').textContent()).toContain('Nothing was imported: the file has 2 problems.');
    expect(await problems.locator('li').allTextContents()).toEqual([
      'Line 3: shortcut: 1–32 letters, digits, _ or - (without the /)',
      'Line 4: shortcut: /greeting is already on line 2',
    ]);
    expect(await admin.getByTestId('canned-row').count()).toBe(0);
    await shoot(admin, 'admin-import-errors');

    const good = [
      'shortcut,title,text,category',
      'greeting,Greeting,"Hello ${visitorName}, I\'m ${agentName}. How can I help?",Opening',
      'grateful,Thanks for waiting,"Thank you for waiting, ##dear##.",Opening',
      'wenhou,问候语（中文标题）,您好，##dear##！很高兴为您服务。,问候',
      `refund,${LONG_TITLE},"We will refund a damaged parcel within 5 working days once we have the photos.",Refunds and returns of damaged parcels`,
    ].join('\n');
    await admin.getByTestId('canned-import-file').setInputFiles({ name: 'phrases.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await admin.getByTestId('canned-import-result').filter({ hasText: 'Imported: 4 added, 0 updated.' }).waitFor(WAIT);
    expect(await admin.getByTestId('canned-import-error').count()).toBe(0);
    expect(await admin.getByTestId('canned-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-shortcut'))))
      .toEqual(['grateful', 'greeting', 'refund', 'wenhou']);
    // the search narrows the list (titles, Chinese included)
    await admin.getByTestId('canned-search').fill('问候');
    await expect.poll(() => admin.getByTestId('canned-row').count(), WAIT).toBe(1);
    await admin.getByTestId('canned-search').fill('');
    await expect.poll(() => admin.getByTestId('canned-row').count(), WAIT).toBe(4);

    // the export link downloads the same list
    const download = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('canned-export').click()]).then(([d]) => d);
    expect(download.suggestedFilename()).toBe('canned-responses-org.csv');
    const exported = fs.readFileSync(await download.path(), 'utf8');
    expect(exported).toContain('问候语（中文标题）');

    expect(await seriousAxeViolations(admin), 'admin page').toEqual([]);
    await shoot(admin, 'admin-list');
    await admin.getByTestId('canned-row').filter({ hasText: 'Greeting' }).getByTestId('canned-edit').click();
    await admin.getByTestId('canned-form-text').fill('Hello ${visitorName}, I\'m ${agentName}. How can I help? ${coupon}');
    expect(await admin.getByTestId('canned-form-preview').textContent()).toBe('Hello Mei Ling, I\'m Alice. How can I help? ${coupon}');
    expect(await admin.getByTestId('canned-form-unknown').textContent()).toContain('${coupon}');
    expect(await seriousAxeViolations(admin), 'admin form').toEqual([]);
    await shoot(admin, 'admin-form');
    await admin.getByTestId('canned-form-text').fill('Hello ${visitorName}, I\'m ${agentName}. How can I help?');
    await admin.getByTestId('canned-form-submit').click();
    await admin.getByTestId('canned-form').waitFor({ state: 'detached', ...WAIT });
  });

  it('an agent types /gr, picks "greeting" with the keyboard, and the visitor receives it with their name', async () => {
    // Alice keeps one personal response too (it shows first, marked as hers).
    const aliceApi = await staffClient(stack.baseUrl, 'alice@parley.local');
    await restClient(stack.baseUrl, { auth: { token: () => aliceApi.token } }).call(ops.createCannedResponse, {
      body: { scope: 'personal', shortcut: 'gr8', title: 'My own: great', text: 'Great, ##dear##!' },
    });
    aliceApi.close();

    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${stack.baseUrl}/`);
    await visitor.getByTestId('menu-item').filter({ hasText: 'Talk to an agent' }).click();
    // The visitor gave their name (as a form or the agent's edit would): the summary the agent loads carries it.
    await expect.poll(async () => (await stack.database.pool.query('select count(*)::int as n from conversations')).rows[0].n, WAIT).toBeGreaterThan(0);
    const { rows: [c] } = await stack.database.pool.query<{ visitor_id: string }>('select visitor_id from conversations order by created_at desc limit 1');
    await stack.database.pool.query('update visitors set display_name = $1 where id = $2', ['Mei Ling', c.visitor_id]);

    const alice = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await staffLogin(alice, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await alice.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
    await alice.getByTestId('status-switch').selectOption('online');
    await alice.getByTestId('offer-accept').click(WAIT);
    await visitor.getByTestId('notice').filter({ hasText: 'Alice' }).waitFor(WAIT);
    await alice.getByTestId('chat-pane').waitFor(WAIT);

    const box = alice.getByTestId('composer-input');
    await box.click();
    await box.pressSequentially('/gr');
    const picker = alice.getByTestId('canned-picker');
    await picker.waitFor(WAIT);
    await expect.poll(() => alice.getByTestId('canned-option').evaluateAll((os) => os.map((o) => o.getAttribute('data-shortcut'))), WAIT)
      .toEqual(['gr8', 'grateful', 'greeting']);
    expect(await box.getAttribute('aria-controls')).toBe(await picker.getByRole('listbox').getAttribute('id'));
    const options = picker.getByRole('option');
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    expect(await options.nth(2).textContent()).toContain('Hello Mei Ling, I\'m Alice. How can I help?'); // the preview is expanded

    await box.press('ArrowDown');
    await box.press('ArrowDown');
    const greeting = alice.locator('[data-testid="canned-option"][data-shortcut="greeting"]');
    expect(await greeting.getAttribute('aria-selected')).toBe('true');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await greeting.getAttribute('id'));
    // The picker and the reply box (the rest of the workbench is other screens' to check).
    expect(await seriousAxeViolations(alice, '[data-testid="composer"]'), 'the reply box with the picker open').toEqual([]);
    await shoot(alice, 'picker');

    await box.press('Enter'); // inserts, does not send
    await picker.waitFor({ state: 'detached', ...WAIT });
    const expanded = 'Hello Mei Ling, I\'m Alice. How can I help?';
    expect(await box.inputValue()).toBe(expanded);
    expect(await box.getAttribute('aria-activedescendant')).toBeNull();
    expect(await alice.getByTestId('message').filter({ hasText: expanded }).count()).toBe(0);

    // Esc closes a picker without inserting; a `/` inside a word opens none.
    await box.pressSequentially(' and/or /wen');
    await alice.locator('[data-testid="canned-option"][data-shortcut="wenhou"]').waitFor(WAIT);
    await shoot(alice, 'picker-chinese');
    await box.press('Escape');
    await picker.waitFor({ state: 'detached', ...WAIT });
    expect(await box.inputValue()).toBe(`${expanded} and/or /wen`);
    await box.pressSequentially('h');
    expect(await picker.count()).toBe(0); // stays closed for that `/`
    await box.fill(expanded);

    await box.press('Enter'); // now it sends
    await visitor.getByTestId('message').filter({ hasText: expanded }).waitFor(WAIT);
    await alice.getByTestId('message').filter({ hasText: expanded }).waitFor(WAIT);
    expect(await box.inputValue()).toBe('');

    // A lookup that matches nothing says so; Enter then sends what was typed.
    await box.pressSequentially('/zzz');
    await alice.getByTestId('canned-status').filter({ hasText: 'No canned response matches /zzz.' }).waitFor(WAIT);
    await box.fill('');

    // The agent's own list, in a dialog from the top bar.
    await alice.getByTestId('my-canned-open').click();
    const dialog = alice.getByTestId('my-canned-dialog');
    await dialog.getByTestId('canned-row').first().waitFor(WAIT);
    await dialog.getByTestId('canned-new').click();
    await dialog.getByTestId('canned-form-shortcut').fill('/Thanks');
    await dialog.getByTestId('canned-form-title').fill('Thanks (mine)');
    await dialog.getByTestId('canned-form-text').fill('Thanks ##dear##, anything else?');
    expect(await dialog.getByTestId('canned-form-preview').textContent()).toBe('Thanks Mei Ling, anything else?');
    await dialog.getByTestId('canned-form-submit').click();
    await dialog.locator('[data-testid="canned-row"][data-shortcut="thanks"]').waitFor(WAIT);
    expect(await seriousAxeViolations(alice, '[data-testid="my-canned-dialog"]'), 'my canned responses dialog').toEqual([]);
    await shoot(alice, 'my-replies');
    await dialog.getByTestId('my-canned-close').click();

    await box.pressSequentially('/thanks');
    await alice.locator('[data-testid="canned-option"][data-shortcut="thanks"]').waitFor(WAIT);
    await box.press('Tab');
    expect(await box.inputValue()).toBe('Thanks Mei Ling, anything else?');
  });
});
