// TEMPORARY exploratory smoke run (deleted after use).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';

const OUT = '/tmp/x/shots';
const WAIT = { timeout: 30_000 };
const log: string[] = [];

function watch(page: Page, who: string) {
  page.on('dialog', (d) => void d.accept());
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log.push(`[${who} console.${m.type()}] ${m.text()}`); });
  page.on('pageerror', (e) => log.push(`[${who} pageerror] ${e.message}`));
  page.on('response', async (r) => {
    if (r.status() >= 400 && r.url().includes('/api/')) {
      const req = r.request();
      log.push(`[${who}] ${req.method()} ${new URL(r.url()).pathname} ${req.postData() ?? ''} -> ${r.status()} ${await r.text().catch(() => '')}`);
    }
  });
}

async function login(page: Page, url: string, email: string) {
  await page.goto(url);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor(WAIT);
}

describe('scratch', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    console.log(log.join('\n'));
    await browser?.close();
    await stack?.stop();
  });

  it('explores', async () => {
    const ctx = async () => browser.newContext({ viewport: { width: 1400, height: 900 } });
    const admin = await (await ctx()).newPage();
    watch(admin, 'admin');
    await login(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    const alice = await (await ctx()).newPage();
    watch(alice, 'alice');
    await login(alice, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await alice.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);

    // visitor 1 queued while nobody is online
    const v1 = await (await ctx()).newPage();
    watch(v1, 'v1');
    await v1.goto(`${stack.baseUrl}/`);
    await v1.getByTestId('menu-item').filter({ hasText: 'Talk to an agent' }).click();
    await alice.getByTestId('queue-entry').first().waitFor(WAIT);
    await alice.screenshot({ path: `${OUT}/agent-queue.png` });
    await alice.getByTestId('queue-join').first().click();
    await alice.getByTestId('queue-join-error').waitFor(WAIT);
    log.push(`join error shown: ${await alice.getByTestId('queue-join-error').textContent()}`);

    // own limit refused
    await alice.getByTestId('max-conversations-input').fill('5');
    await alice.getByTestId('max-conversations-save').click();
    await alice.getByTestId('max-conversations-error').waitFor(WAIT);
    log.push(`limit error shown: ${await alice.getByTestId('max-conversations-error').textContent()}`);

    // admin: routing settings validation then allow both
    await admin.getByTestId('nav-routing').click();
    await admin.getByTestId('routing-form').waitFor(WAIT);
    await admin.getByTestId('routing-offerTimeoutSec').fill('0');
    await admin.getByTestId('routing-assignWebhookUrl').fill('not a url');
    await admin.getByTestId('routing-assignWebhookTimeoutMs').fill('50');
    await admin.screenshot({ path: `${OUT}/admin-routing-invalid.png`, fullPage: true });
    log.push(`routing field errors: ${(await admin.getByTestId('routing-field-error').allTextContents()).join(' | ')}`);
    await admin.getByTestId('routing-reset').click();
    await admin.getByTestId('routing-agentsMayJoinQueued').check();
    await admin.getByTestId('routing-agentsMayChangeLimit').check();
    await admin.getByTestId('routing-save').click();
    await admin.getByTestId('routing-saved').waitFor(WAIT);
    await admin.screenshot({ path: `${OUT}/admin-routing-saved.png`, fullPage: true });

    await alice.getByTestId('max-conversations-input').fill('5');
    await alice.getByTestId('max-conversations-save').click();
    await alice.getByTestId('max-conversations-saved').waitFor(WAIT);
    log.push(`agent-load after limit: ${await alice.getByTestId('agent-load').textContent().catch(() => 'n/a')}`);

    await alice.getByTestId('status-switch').selectOption('busy');
    await alice.locator('[data-testid="status-switch"][data-status="busy"]').waitFor(WAIT);
    await alice.getByTestId('queue-join').first().click();
    await alice.getByTestId('chat-pane').waitFor(WAIT);
    await v1.getByTestId('notice').filter({ hasText: 'Alice' }).waitFor(WAIT);
    await alice.screenshot({ path: `${OUT}/agent-joined.png` });

    // break with reason
    await alice.getByTestId('break-open').click();
    await alice.getByTestId('break-reason').fill('Lunch');
    await alice.getByTestId('break-submit').click();
    await alice.getByTestId('break-status').waitFor(WAIT);
    await alice.locator('[data-testid="status-switch"][data-status="away"]').waitFor(WAIT);
    await alice.screenshot({ path: `${OUT}/agent-break.png` });

    // transfer dialog view (Bob offline)
    await alice.getByTestId('transfer-open').click();
    await alice.getByTestId('transfer-form').waitFor(WAIT);
    await alice.getByTestId('transfer-option').first().waitFor({ state: 'attached', ...WAIT });
    log.push(`transfer options: ${(await alice.getByTestId('transfer-option').allTextContents()).join(' | ')}`);
    await alice.getByTestId('transfer-kind-team').check();
    log.push(`team options: ${(await alice.getByTestId('transfer-option').allTextContents()).join(' | ')}`);
    await alice.getByTestId('transfer-target').selectOption('support');
    await alice.getByTestId('transfer-submit').click();
    await alice.locator('[data-testid="transfer-outcome"], [data-testid="transfer-error"]').first().waitFor(WAIT);
    log.push(`team transfer: ${await alice.locator('[data-testid="transfer-outcome"], [data-testid="transfer-error"]').first().textContent()}`);
    await alice.screenshot({ path: `${OUT}/agent-transfer-team.png` });

    // admin agents page: history, edit, force offline
    await admin.getByTestId('nav-agents').click();
    await admin.getByTestId('agent-row').first().waitFor(WAIT);
    const aliceRow = admin.locator('[data-testid="agent-row"][data-email="alice@parley.local"]');
    await aliceRow.getByTestId('agent-history-open').click();
    await admin.getByTestId('agent-history-entry').first().waitFor(WAIT);
    log.push(`history: ${(await admin.getByTestId('agent-history-entry').allTextContents()).join(' | ')}`);
    await admin.screenshot({ path: `${OUT}/admin-agents.png`, fullPage: true });
    const bobRow = admin.locator('[data-testid="agent-row"][data-email="bob@parley.local"]');
    await bobRow.getByTestId('agent-edit').click();
    const edit = admin.locator('[data-testid="agent-form"][data-mode="edit"]');
    await edit.getByTestId('agent-form-nickname').fill('Bobby');
    await edit.getByTestId('agent-form-password').fill('short');
    await edit.getByTestId('agent-form-submit').click();
    await admin.screenshot({ path: `${OUT}/admin-agent-edit-invalid.png`, fullPage: true });
    await edit.getByTestId('agent-form-password').fill('');
    await edit.getByTestId('agent-form-submit').click();
    await bobRow.filter({ hasText: 'Bobby' }).waitFor(WAIT);
    await bobRow.getByTestId('agent-disable').click();
    await bobRow.getByTestId('agent-restore').waitFor(WAIT);
    await bobRow.getByTestId('agent-restore').click();
    await bobRow.getByTestId('agent-disable').waitFor(WAIT);
    await aliceRow.getByTestId('agent-force-offline').click();
    await alice.locator('[data-testid="status-switch"][data-status="offline"]').waitFor(WAIT);

    // teams: delete a team with members
    await admin.getByTestId('nav-teams').click();
    await admin.getByTestId('team-row').first().waitFor(WAIT);
    const support = admin.locator('[data-testid="team-row"][data-team-id="support"]');
    await support.getByTestId('team-strategy').selectOption('round-robin');
    await admin.locator('[data-testid="team-row"][data-strategy="round-robin"]').waitFor(WAIT);
    await support.getByTestId('team-name-input').fill('Support desk');
    await support.getByTestId('team-rename').click();
    await support.filter({ has: admin.locator('input') }).waitFor(WAIT);
    await admin.screenshot({ path: `${OUT}/admin-teams.png`, fullPage: true });

    // queue: a second visitor, admin assigns to offline Alice, then joins
    const v2 = await (await ctx()).newPage();
    watch(v2, 'v2');
    await v2.goto(`${stack.baseUrl}/`);
    await v2.getByTestId('menu-item').filter({ hasText: 'Talk to an agent' }).click();
    await admin.getByTestId('nav-queue').click();
    await admin.getByTestId('queue-row').first().waitFor(WAIT);
    await admin.screenshot({ path: `${OUT}/admin-queue.png`, fullPage: true });
    const aliceId = await aliceRow.getAttribute('data-agent-id').catch(() => null);
    log.push(`aliceId ${aliceId}`);
    const row = admin.getByTestId('queue-row').first();
    const opts = await row.getByTestId('queue-assign-agent').locator('option').allTextContents();
    log.push(`assign options: ${opts.join(' | ')}`);
    await row.getByTestId('queue-join').click();
    await admin.locator('[data-testid="queue-empty"], [data-testid="queue-row-error"]').first().waitFor(WAIT);
    log.push(`admin join: ${await admin.locator('[data-testid="queue-empty"], [data-testid="queue-row-error"]').first().textContent()}`);

    // conversation detail: blacklist
    await admin.getByTestId('nav-conversations').click();
    await admin.getByTestId('conversation-row').first().waitFor(WAIT);
    await admin.screenshot({ path: `${OUT}/admin-conversations.png`, fullPage: true });
    await admin.getByTestId('row-visitor').first().locator('a').click();
    await admin.getByTestId('visitor-blacklist').waitFor(WAIT);
    await admin.getByTestId('blacklist-reason').fill('Spam <b>links</b>');
    await admin.getByTestId('blacklist-block').click();
    await admin.locator('[data-testid="visitor-blocked"][data-blocked="true"]').waitFor(WAIT);
    await admin.getByTestId('blacklist-reason').fill('Appealed');
    await admin.getByTestId('blacklist-unblock').click();
    await admin.locator('[data-testid="visitor-blocked"][data-blocked="false"]').waitFor(WAIT);
    await admin.screenshot({ path: `${OUT}/admin-detail-blacklist.png`, fullPage: true });

    // flows
    await admin.getByTestId('nav-flows').click();
    await admin.getByTestId('flow-row').first().waitFor(WAIT);
    await admin.getByTestId('flow-link').first().click();
    await admin.getByTestId('flow-json').waitFor(WAIT);
    await admin.getByTestId('flow-diagram-node').first().waitFor(WAIT);
    await admin.screenshot({ path: `${OUT}/admin-flow.png`, fullPage: true });
    const original = await admin.getByTestId('flow-json').inputValue();
    await admin.getByTestId('flow-json').fill(original + ',');
    log.push(`json error: ${await admin.getByTestId('flow-json-error').textContent()}`);
    const broken = JSON.parse(original);
    broken.nodes[0].edges = [{ on: 'next', to: 'nowhere' }];
    broken.nodes.push({ id: 'orphan', type: 'message', config: { text: 'hi ${nope}' } });
    await admin.getByTestId('flow-json').fill(JSON.stringify(broken, null, 2));
    await admin.getByTestId('flow-validate').click();
    await admin.getByTestId('flow-problem').first().waitFor(WAIT);
    log.push(`validate problems: ${(await admin.getByTestId('flow-problem').allTextContents()).join(' | ')}`);
    await admin.getByTestId('flow-save').click();
    await admin.locator('[data-testid="flow-status"][data-tone="ok"]').waitFor(WAIT);
    await admin.getByTestId('flow-publish').click();
    await admin.getByTestId('flow-problems').filter({ hasText: 'Not published' }).waitFor(WAIT);
    log.push(`publish: ${(await admin.getByTestId('flow-problem').allTextContents()).length} problems`);
    await admin.screenshot({ path: `${OUT}/admin-flow-problems.png`, fullPage: true });
    await admin.getByTestId('flow-json').fill(original);
    await admin.getByTestId('flow-save').click();
    await admin.locator('[data-testid="flow-status"][data-tone="ok"]').waitFor(WAIT);
    await admin.getByTestId('flow-publish').click();
    await admin.locator('[data-testid="flow-version"][data-version="2"]').waitFor(WAIT);
    await admin.locator('[data-testid="flow-version"][data-version="1"]').getByTestId('flow-version-view').click();
    await admin.getByTestId('flow-version-json').waitFor(WAIT);
    await admin.screenshot({ path: `${OUT}/admin-flow-versions.png`, fullPage: true });

    // agent block visitor: v3 served by alice
    await alice.getByTestId('status-switch').selectOption('online');
    const v3 = await (await ctx()).newPage();
    watch(v3, 'v3');
    await v3.goto(`${stack.baseUrl}/`);
    await v3.getByTestId('menu-item').filter({ hasText: 'Talk to an agent' }).click();
    await alice.getByTestId('offer-accept').click(WAIT);
    await alice.locator('[data-testid="chat-pane"]').waitFor(WAIT);
    await alice.getByTestId('block-open').click();
    await alice.getByTestId('block-reason').fill('Abusive');
    await alice.getByTestId('block-submit').click();
    await alice.getByTestId('block-form').waitFor({ state: 'detached', ...WAIT });
    await v3.getByTestId('end').waitFor(WAIT).catch(() => log.push('v3 did not see end'));
    await alice.screenshot({ path: `${OUT}/agent-blocked.png` });
    await v3.screenshot({ path: `${OUT}/visitor-blocked.png` });
    expect(true).toBe(true);
  }, 400_000);
});
