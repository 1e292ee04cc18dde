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

  /** The whole screen: the apps scroll inside their main area, so the viewport is made as tall as its content. */
  const shoot = async (page: Page, name: string) => {
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(300); // charts resize
      const content = await page.evaluate(() => Math.max(...Array.from(document.querySelectorAll('.console-main, .record-page'), (e) => e.scrollHeight), 0));
      await page.setViewportSize({ width, height: Math.min(6000, Math.max(height, content + 160)) });
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${SHOTS}/${name}-${width}.png` });
    }
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

  it('draws the reports\' charts and drills down from a number and a bar to the search screen with the same filters', async () => {
    // The reports API is the metrics slice's (merged before this one): until it is here, its documents come from
    // fixtures of the contract's shape (domain/reports/schemas.ts), so the charts and drill-downs can be exercised.
    const stubbed = await stubReports(admin);
    if (!stubbed) {
      // The real reports read the reporting projection: three days of the support team's served conversations
      // (10, 20, 30 of them), as the projection activity writes them, so the charts have bars to click.
      await stack.database.pool.query(`
        insert into report_facts (conversation_id, started_at, channel, flow_id, team_id, status, closed_by, queued_at, assigned_at, first_response_at, closed_at)
        select gen_random_uuid(), t, 'web', 'default', 'support', 'ended', 'agent', t + interval '1 minute', t + interval '2 minutes',
               t + interval '3 minutes', t + interval '10 minutes'
          from generate_series(0, 2) as d,
               lateral generate_series(1, 10 * (d + 1)) as n,
               lateral (select (date '2026-11-01' + d + time '10:00') at time zone 'Asia/Shanghai' + n * interval '1 minute' as t) as at`);
    }
    await admin.goto(`${stack.baseUrl}/admin/reports?from=2026-11-01&to=2026-11-03&tz=Asia%2FShanghai&teamId=support&compare=true`);
    await admin.getByTestId('kpi-started').waitFor(WAIT);
    await admin.locator('[data-testid="chart-by-day"] canvas').first().waitFor(WAIT);
    expect(await admin.getByTestId('kpi-started').textContent()).toContain('previous period');
    expect(await seriousAxeViolations(admin)).toEqual([]);
    await shoot(admin, stubbed ? 'reports-charts' : 'reports-real');
    const drill = admin.getByTestId('kpi-started').getByTestId('kpi-drill');
    const href = new URL((await drill.getAttribute('href'))!, stack.baseUrl);
    expect(href.pathname).toBe('/admin/search');
    expect(Object.fromEntries(href.searchParams)).toEqual({ from: '2026-11-01', to: '2026-11-03', tz: 'Asia/Shanghai', teamId: 'support' });
    await drill.click();
    await admin.waitForURL((u) => atSearch(u) && u.searchParams.get('teamId') === 'support' && u.searchParams.get('from') === '2026-11-01', WAIT);
    await admin.goBack();
    const chart = admin.getByTestId('chart-by-day');
    await chart.locator('canvas').first().waitFor(WAIT);
    const box = (await chart.boundingBox())!;
    // The last of three days: its bars are around five sixths of the way across, its tallest well above the axis.
    await admin.mouse.click(box.x + (box.width * 5) / 6, box.y + box.height * 0.7);
    await admin.waitForURL((u) => atSearch(u) && u.searchParams.get('from') === '2026-11-03' && u.searchParams.get('to') === '2026-11-03'
      && u.searchParams.get('tz') === 'Asia/Shanghai' && u.searchParams.get('teamId') === 'support', WAIT);
    await admin.unrouteAll();
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

/**
 * The search screen (the search slice's route). Until that route is merged, the console's catch-all sends an unknown
 * path to its home page, keeping the query: the filters carried are what is checked.
 */
const atSearch = (u: URL) => u.pathname === '/admin/search' || u.pathname === '/admin/';

/** Report documents of the contract's shape, served for the reports the API does not have yet (false: it has them). */
async function stubReports(page: Page): Promise<boolean> {
  const probe = await page.request.get(page.url().replace(/\/admin\/.*$/, '/api/reports/volume?from=2026-11-01&to=2026-11-03'));
  if (probe.status() !== 404) return false;
  const period = { from: '2026-11-01', to: '2026-11-03', tz: 'Asia/Shanghai' };
  const days = ['2026-11-01', '2026-11-02', '2026-11-03'];
  const bucket = (key: string, label: string, n: number) => ({
    key, label, started: n, served: Math.round(n * 0.8), abandonedInQueue: Math.round(n * 0.1), leftMessage: 1,
  });
  const totals = { started: 120, served: 96, abandonedInQueue: 12, leftMessage: 5, botOnly: 7, open: 3,
    closedBy: { visitor: 40, agent: 50, admin: 1, timer: 10, flow: 7, system: 0, leftMessage: 5 } };
  const stats = (p50: number) => ({ count: 90, avg: p50 * 1.2, p50, p90: p50 * 3 });
  const timesTotals = { queueWait: stats(18), firstResponse: stats(25), handleTime: stats(420), resolution: stats(600), offerAccept: stats(6),
    offers: { offered: 110, accepted: 96, rejected: 4, missed: 8, withdrawn: 2 } };
  const csat = { ratings: 40, invited: 80, avg: 4.3, responseRate: 0.5, distribution: [1, 2, 3, 4, 5].map((score) => ({ score, count: score * 3 })),
    resolved: 30, unresolved: 5, resolvedNotAsked: 5, withComment: 2 };
  const transfers = { requested: 9, accepted: 6, rejected: 2, expired: 1, cancelled: 0, pending: 0 };
  const agentRow = { agentId: '00000000-0000-4000-8000-000000000001', name: '李雷（售后服务与技术支持组 · 高级坐席）Lei Li', handled: 60,
    firstResponse: stats(20), handleTime: stats(400), csatAvg: 4.5, ratings: 25, transfersOut: 2, transfersIn: 1,
    offers: { offered: 70, accepted: 60, rejected: 2, missed: 8 }, statusTime: { online: 20_000, busy: 5_000, away: 3_000, offline: 60_000 } };
  const bodies: Record<string, unknown> = {
    volume: { period, totals, byDay: days.map((d, i) => bucket(d, d, 30 + i * 10)),
      byHourOfDay: Array.from({ length: 24 }, (_, h) => bucket(String(h), String(h), h % 7)),
      byDayOfWeek: Array.from({ length: 7 }, (_, d) => bucket(String(d + 1), String(d + 1), 10 + d)), byChannel: [bucket('web', 'web', 100), bucket('app', 'app', 20)],
      byTeam: [bucket('support', '售后服务组', 90), bucket('', '', 30)], byFlow: [], byTag: [], previous: { period, totals: { ...totals, started: 100 } } },
    times: { period, totals: timesTotals,
      byDay: days.map((date, i) => ({ date, queueWaitP50: 15 + i, queueWaitP90: 60, firstResponseP50: 20 + i * 3, handleTimeAvg: 400 + i * 20 })),
      previous: { period, totals: timesTotals } },
    quality: { period, csat, transfers, byAgent: [], byTeam: [], previous: { period, csat: { ...csat, avg: 4.1 }, transfers },
      comments: [{ conversationId: '00000000-0000-4000-8000-000000000002', score: 5, scale: 5, resolved: true, comment: '非常耐心，问题很快就解决了。Very patient!', at: '2026-11-02T10:00:00Z',
        agentId: agentRow.agentId, agentName: agentRow.name }] },
    agents: { period, agents: [agentRow], load: [] },
  };
  await page.route(/\/api\/reports\/(volume|times|quality|agents)\?/, (route) => {
    const name = /\/api\/reports\/(\w+)\?/.exec(route.request().url())![1];
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(bodies[name]) });
  });
  return true;
}
