import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { http, staffClient, visitorClient } from '../helpers/clients.js';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';
import { handoffFlow } from '../integration/routing/helpers.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { staffLogin, WAIT } from './lib/staff.js';

/** Screenshots go where the session's reviewers look (PARLEY_SHOTS_DIR overrides). */
const SHOTS = process.env.PARLEY_SHOTS_DIR ?? '/work/wt22/shots/screens';
const AGENT_NAME = '李雷（售后服务与技术支持组 · 高级坐席）Lei Li, Senior Agent for After-sales Service';

/** Issue 21: the live wallboard, the reports area and the agent's own service record, in a real browser on the real stack. */
describe('browser: wallboard, reports, service record', () => {
  let stack: Stack;
  let browser: Browser;
  let admin: Page;
  let agentEmail: string;

  beforeAll(async () => {
    ensureWebBuild();
    fs.mkdirSync(SHOTS, { recursive: true });
    stack = await startStack({ flow: handoffFlow(null), routing: { serviceMode: 'automatic' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const adminLogin = await staffClient(stack.baseUrl, 'admin@parley.local');
    agentEmail = `lei-${Date.now()}@parley.local`;
    const created = await http(stack.baseUrl, 'POST', '/api/agents', {
      token: adminLogin.token, body: { email: agentEmail, nickname: AGENT_NAME, password: TEST_PASSWORD, maxConversations: 3, teamIds: [] },
    });
    expect(created.status).toBe(201);
    adminLogin.close();
    admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await staffLogin(admin, `${stack.baseUrl}/admin/`, 'admin@parley.local');
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const shoot = async (page: Page, name: string) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/${name}-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  it('shows a visitor waiting and then the agent who takes it, live without a reload, and passes axe', async () => {
    await admin.getByTestId('nav-wallboard').click();
    await admin.getByTestId('wallboard').waitFor(WAIT);
    await admin.getByTestId('wallboard-no-agents').waitFor(WAIT);
    await shoot(admin, 'wallboard-empty');
    const navigations: string[] = [];
    admin.on('framenavigated', (f) => { if (f === admin.mainFrame()) navigations.push(f.url()); });

    const visitor = await visitorClient(stack.baseUrl, '王小明');
    await admin.getByTestId('tile-waiting').getByText('1', { exact: true }).waitFor(WAIT);

    const agent = await staffClient(stack.baseUrl, agentEmail);
    expect(await agent.setStatus('online')).toMatchObject({ ok: true });
    const row = admin.getByTestId('wallboard-agent');
    await row.filter({ hasText: AGENT_NAME }).waitFor(WAIT);
    await row.getByTestId('wallboard-agent-load').getByText('1 / 3').waitFor(WAIT);
    await admin.getByTestId('tile-waiting').getByText('0', { exact: true }).waitFor(WAIT);
    await admin.getByTestId('tile-in-progress').getByText('1', { exact: true }).first().waitFor(WAIT);
    expect(navigations).toEqual([]); // live, not reloaded
    expect(await admin.getByTestId('wallboard-stale').count()).toBe(0);

    expect(await seriousAxeViolations(admin)).toEqual([]);
    await shoot(admin, 'wallboard-live');
    await admin.goto(`${stack.baseUrl}/admin/wallboard?locale=zh-CN`);
    await admin.getByText('今日服务水平').waitFor(WAIT);
    expect(await seriousAxeViolations(admin)).toEqual([]);
    await shoot(admin, 'wallboard-zh');
    await admin.goto(`${stack.baseUrl}/admin/wallboard?locale=en`);
    await admin.getByTestId('wallboard').waitFor(WAIT);
    visitor.close();
    agent.close();
  });

  it('opens the reports area with its filters, and shows what the reports API answers', async () => {
    await admin.getByTestId('nav-reports').click();
    await admin.getByTestId('report-filters').waitFor(WAIT);
    // The filter is in the URL (a report can be shared; drill-downs carry it to the search screen).
    await admin.getByTestId('filter-compare').uncheck();
    await admin.getByTestId('filter-apply').click();
    await admin.waitForURL(/compare=false/, WAIT);
    await admin.getByTestId('reports-error').or(admin.getByTestId('kpi-started')).first().waitFor(WAIT);
    if (await admin.getByTestId('kpi-started').count()) {
      // With the reports API there: the number drills down to the search screen with the same filters.
      const link = admin.getByTestId('kpi-started').getByTestId('kpi-drill');
      expect(await link.getAttribute('href')).toMatch(/^\/admin\/search\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&tz=/);
    }
    expect(await seriousAxeViolations(admin)).toEqual([]);
    await shoot(admin, 'reports');
    await admin.goto(`${stack.baseUrl}/admin/reports?locale=zh-CN`);
    await admin.getByText('统计报表').first().waitFor(WAIT);
    await shoot(admin, 'reports-zh');
  });

  it('gives the agent their own service record in a lazy view', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const scripts: string[] = [];
    page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(r.url()); });
    await staffLogin(page, `${stack.baseUrl}/agent/`, agentEmail);
    expect(scripts.filter((u) => /ServiceRecordView|screens-/.test(u))).toEqual([]); // not loaded up front
    if (!(await page.getByTestId('record-open').isVisible())) await page.getByTestId('topbar-menu-toggle').click(); // narrow: in the menu
    await page.getByTestId('record-open').click();
    await page.getByTestId('service-record').waitFor(WAIT);
    expect(scripts.some((u) => /ServiceRecordView/.test(u))).toBe(true);
    await page.getByTestId('record-error').or(page.getByTestId('record-handled')).first().waitFor(WAIT);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'service-record');
    await page.close();
  });
});
