import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';
import { dispatcherStateQuery } from '../../domain/contracts/dispatcher-workflow.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { staffLogin, WAIT } from './lib/staff.js';

describe('admin console and transfer in a real browser', () => {
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

  it('an admin creates a team and an agent; a served visitor is transferred to that agent, who accepts', async () => {
    // ---- admin: a team, then an agent in it ----
    const admin = await (await browser.newContext()).newPage();
    await staffLogin(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');

    await admin.getByTestId('nav-teams').click();
    await admin.getByTestId('teams-table').waitFor(WAIT);
    await admin.getByTestId('team-create-open').click();
    const teamForm = admin.getByTestId('team-create-form');
    await teamForm.getByTestId('team-create-name').fill('Billing');
    expect(await teamForm.getByTestId('team-create-id').inputValue()).toBe('billing'); // suggested from the name
    await teamForm.getByTestId('team-create-strategy').selectOption('least-busy');
    await teamForm.getByTestId('team-create-submit').click();
    const teamRow = admin.locator('[data-testid="team-row"][data-team-id="billing"]');
    await teamRow.waitFor(WAIT);
    expect(await teamRow.getAttribute('data-strategy')).toBe('least-busy');

    await admin.getByTestId('nav-agents').click();
    await admin.getByTestId('agents-table').waitFor(WAIT);
    await admin.getByTestId('agent-create-open').click();
    const agentForm = admin.locator('[data-testid="agent-form"][data-mode="create"]');
    await agentForm.getByTestId('agent-form-email').fill('carol@parley.local');
    await agentForm.getByTestId('agent-form-nickname').fill('Carol');
    await agentForm.getByTestId('agent-form-password').fill(TEST_PASSWORD);
    await agentForm.getByTestId('agent-form-max').fill('2');
    await agentForm.locator('[data-testid="agent-form-team"][data-team-id="billing"]').check();
    await agentForm.getByTestId('agent-form-submit').click();
    const carolRow = admin.locator('[data-testid="agent-row"][data-email="carol@parley.local"]');
    await carolRow.waitFor(WAIT);
    await agentForm.waitFor({ state: 'detached', ...WAIT });
    expect(await carolRow.getByTestId('agent-teams').textContent()).toContain('Billing');
    expect(await carolRow.getByTestId('agent-load').textContent()).toContain('0/2');
    const carolId = await carolRow.getAttribute('data-agent-id');
    expect(carolId).toMatch(/^[0-9a-f-]{36}$/);

    // ---- two agents in the workbench: Alice goes online, Carol signs in but stays offline for now ----
    const alice = await (await browser.newContext()).newPage();
    await staffLogin(alice, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    const carol = await (await browser.newContext()).newPage();
    await staffLogin(carol, `${stack.baseUrl}/agent/login`, 'carol@parley.local');
    await carol.getByTestId('queue-panel').waitFor(WAIT);

    await alice.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
    await alice.getByTestId('status-switch').selectOption('online');
    await alice.locator('[data-testid="status-switch"][data-status="online"]').waitFor(WAIT);

    // ---- a visitor asks for an agent; Alice accepts the offer ----
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${stack.baseUrl}/`);
    await visitor.getByTestId('menu-item').filter({ hasText: 'Talk to an agent' }).click();
    await alice.getByTestId('offer-accept').click(WAIT);
    await visitor.getByTestId('notice').filter({ hasText: 'Alice' }).waitFor(WAIT);
    const pane = alice.getByTestId('chat-pane');
    await pane.waitFor(WAIT);
    const conversationId = await pane.getAttribute('data-conversation-id');

    // ---- Carol comes online; Alice transfers to her ----
    await carol.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
    await carol.getByTestId('status-switch').selectOption('online');
    await carol.locator('[data-testid="status-switch"][data-status="online"]').waitFor(WAIT);

    await alice.getByTestId('transfer-open').click();
    const transferForm = alice.getByTestId('transfer-form');
    await transferForm.getByTestId('transfer-kind-agent').check();
    const carolOption = transferForm.locator(`[data-testid="transfer-option"][value="${carolId}"]`);
    // The list shows live status: Carol's entry is selectable once the directory sees her online.
    await expect
      .poll(async () => {
        if ((await carolOption.count()) === 1 && !(await carolOption.isDisabled())) return true;
        await transferForm.getByTestId('transfer-reload').click();
        return false;
      }, { timeout: 30_000, interval: 1000 })
      .toBe(true);
    expect(await carolOption.textContent()).toContain('Online');
    await transferForm.getByTestId('transfer-target').selectOption(carolId);
    await transferForm.getByTestId('transfer-submit').click();
    await alice.locator('[data-testid="transfer-outcome"][data-outcome="pending"]').waitFor(WAIT);

    // ---- Carol gets the request with a countdown and accepts ----
    const request = carol.locator(`[data-testid="transfer-request"][data-conversation-id="${conversationId}"]`);
    await request.waitFor(WAIT);
    expect(await request.textContent()).toContain('Alice');
    expect(await request.getByTestId('transfer-countdown').textContent()).toMatch(/\d/);
    await request.getByTestId('transfer-accept').click();
    await request.waitFor({ state: 'detached', ...WAIT });

    // Carol now serves it (opened for her), Alice is told, and the visitor sees the transfer.
    const carolPane = carol.locator(`[data-testid="chat-pane"][data-conversation-id="${conversationId}"]`);
    await carolPane.waitFor(WAIT);
    await alice.locator('[data-testid="transfer-outcome"][data-outcome="accepted"]').waitFor(WAIT);
    await visitor.getByTestId('transfer').filter({ hasText: 'Carol' }).waitFor(WAIT);

    await carolPane.getByTestId('composer-input').fill('Hi, Carol from billing here.');
    await carolPane.getByTestId('composer-send').click();
    await visitor.getByTestId('message').filter({ hasText: 'Carol from billing here.' }).waitFor(WAIT);
    await alice.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`).waitFor(WAIT);
    expect(await alice.getByTestId('conversation-list-held').getByTestId('conversation-item').count()).toBe(0);

    // The console shows the new agent on the conversation.
    await admin.getByTestId('nav-conversations').click();
    await admin
      .locator(`[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`)
      .getByTestId('row-agent')
      .filter({ hasText: 'Carol' })
      .waitFor(WAIT);
  });

  it('an admin changes routing settings: a bad value is refused on the spot, a good one is saved and used by the desk', async () => {
    const admin = await (await browser.newContext()).newPage();
    await staffLogin(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await admin.getByTestId('nav-routing').click();
    const form = admin.getByTestId('routing-form');
    await form.waitFor(WAIT);

    await form.getByTestId('routing-queuePositionIntervalMs').fill('-5');
    await form.getByTestId('routing-invalid').waitFor(WAIT);
    expect(await form.getByTestId('routing-save').isDisabled()).toBe(true);
    await form.getByTestId('routing-queuePositionIntervalMs').fill('2500');
    await form.getByTestId('routing-handoffFailsWhenNobodyOnline').check();
    await form.getByTestId('routing-save').click();
    await form.getByTestId('routing-saved').waitFor(WAIT);

    const signIn = await fetch(`${stack.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@parley.local', password: TEST_PASSWORD }) });
    const { token } = (await signIn.json()) as { token: string };
    const res = await fetch(`${stack.baseUrl}/api/settings/routing`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ queuePositionIntervalMs: 2500, handoffFailsWhenNobodyOnline: true });
    // the desk runs with what was saved
    await expect.poll(async () => (await stack.temporal.workflow.getHandle(`dispatcher-${stack.deskId}`).query(dispatcherStateQuery)).settings, { timeout: 20_000 })
      .toMatchObject({ queuePositionIntervalMs: 2500, handoffFailsWhenNobodyOnline: true });
  });
});
