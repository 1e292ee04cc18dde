import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { http, visitorClient } from '../helpers/clients.js';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { seriousAxeViolations } from './lib/axe.js';
import { shotsDir } from './lib/shots.js';

const SHOTS = shotsDir('flow-versions');
const FLOW = 'versions-web';
const CHANNEL = 'versions-web';

const menu = (header: string, items: Array<[string, string, string]>) => ({
  id: 'menu', type: 'menu', config: { header, items: items.map(([id, content]) => ({ id, content })) }, edges: items.map(([id, , to]) => ({ on: id, to })),
});
const say = (id: string, text: string, next: string) => ({ id, type: 'message', config: { text }, edges: [{ on: 'next', to: next }] });
const bye = { id: 'bye', type: 'end', config: { text: 'Goodbye.' } };
const settings = { rating: { enabled: false }, offline: { whenNobodyOnline: 'queue', outsideWorkingHours: 'queue' } };
/** Version 1: a sales branch through `old`. Version 2: a new header, the sales branch gone, billing through a new node `extra`. */
const V1 = { start: 'welcome', nodes: [say('welcome', 'Hello!', 'menu'), menu('Menu of version 1', [['billing', 'Billing', 'bye'], ['sales', 'Sales', 'old']]), say('old', 'Sales is closed.', 'bye'), bye], settings };
const V2 = { start: 'welcome', nodes: [say('welcome', 'Hello!', 'menu'), menu('Menu of version 2', [['billing', 'Billing', 'extra']]), say('extra', 'One moment.', 'bye'), bye], settings };

describe('flow versions in the designer (real browser)', () => {
  let stack: Stack;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    ensureWebBuild();
    fs.mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    token = (await http<{ token: string }>(stack.baseUrl, 'POST', '/api/auth/login', { body: { email: 'admin@parley.local', password: TEST_PASSWORD } })).body.token;
    expect((await http(stack.baseUrl, 'POST', '/api/flows', { token, body: { id: FLOW, name: 'Versions web test', channel: CHANNEL, draft: V1 } })).status).toBe(201);
    expect((await http(stack.baseUrl, 'POST', `/api/flows/${FLOW}/publish`, { token, body: {} })).status).toBe(201);
    const detail = await http<{ revision: number }>(stack.baseUrl, 'GET', `/api/flows/${FLOW}`, { token });
    expect((await http(stack.baseUrl, 'PUT', `/api/flows/${FLOW}`, { token, body: { draft: V2, revision: detail.body.revision } })).status).toBe(200);
    expect((await http(stack.baseUrl, 'POST', `/api/flows/${FLOW}/publish`, { token, body: {} })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function openVersions(page: Page) {
    await staffLogin(page, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await page.goto(`${stack.baseUrl}/admin/flows/${FLOW}`);
    await page.getByTestId('designer-node-menu').waitFor(WAIT);
    await page.getByTestId('designer-tab-versions').click();
    await page.getByTestId('designer-versions').waitFor(WAIT);
  }

  it('an admin compares two versions (highlighted on the canvas and listed), views one read-only, rolls back; a new visitor gets the rolled-back flow', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    await openVersions(page);
    const rows = page.getByTestId('version-row');
    await expect.poll(() => rows.count(), WAIT).toBe(2);
    expect(await rows.first().getAttribute('data-version')).toBe('2');
    expect(await rows.first().getByTestId('version-live').count()).toBe(1);
    expect(await page.getByTestId('designer-versions').textContent()).toContain('by Admin');
    expect(await seriousAxeViolations(page, '[data-testid="designer-versions"]')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/panel-en-1280.png` });

    // ---- compare version 1 with version 2 ----
    await page.getByTestId('versions-compare-from').selectOption('1');
    await page.getByTestId('versions-compare-to').selectOption('2');
    await page.getByTestId('versions-compare-go').click();
    await page.getByTestId('versions-banner').waitFor(WAIT);
    expect(await page.getByTestId('versions-banner').textContent()).toContain('Comparing version 1 with version 2, read-only');
    expect(await page.getByTestId('designer-node-menu').getAttribute('data-diff')).toBe('changed');
    expect(await page.getByTestId('designer-node-extra').getAttribute('data-diff')).toBe('added');
    expect(await page.getByTestId('designer-node-old').getAttribute('data-diff')).toBe('removed');
    expect(await page.getByTestId('designer-node-welcome').getAttribute('data-diff')).toBeNull();
    expect(await page.getByTestId('designer-diff-menu').textContent()).toBe('Changed');
    const changed = page.getByTestId('diff-node-changed');
    expect(await changed.getAttribute('data-node-id')).toBe('menu');
    expect(await changed.getByTestId('diff-field').allTextContents()).toEqual(['config.header', 'config.items']);
    expect(await page.getByTestId('diff-edgesRemoved').allTextContents()).toEqual(['menu (billing) → bye', 'menu (sales) → old']);
    expect(await page.getByTestId('diff-edgesAdded').allTextContents()).toEqual(['menu (billing) → extra']);
    // the canvas is read-only meanwhile
    expect(await page.getByTestId('designer-undo').isDisabled()).toBe(true);
    expect(await page.getByTestId('palette-message').isDisabled()).toBe(true);
    expect(await page.getByTestId('designer-import').isDisabled()).toBe(true);
    expect(await seriousAxeViolations(page, '[data-testid="designer-versions"]')).toEqual([]);
    expect(await seriousAxeViolations(page, '[data-testid="versions-banner"]')).toEqual([]);
    expect(await seriousAxeViolations(page, '[data-testid="designer-canvas"]')).toEqual([]); // the highlighted nodes (badges, contrast)
    await page.screenshot({ path: `${SHOTS}/compare-en-1280.png` });

    // ---- view version 1 alone, then back to the draft ----
    await rows.nth(1).getByTestId('version-view').click();
    await expect.poll(() => page.getByTestId('versions-banner').textContent(), WAIT).toContain('Viewing version 1, read-only');
    await page.getByTestId('designer-node-old').waitFor(WAIT);
    expect(await page.getByTestId('designer-export').textContent()).toContain('Export version 1');
    await page.screenshot({ path: `${SHOTS}/view-v1-en-1280.png` });
    await page.getByTestId('versions-back').click();
    await page.getByTestId('versions-banner').waitFor({ state: 'detached', ...WAIT });
    await page.getByTestId('designer-node-extra').waitFor(WAIT);
    expect(await page.getByTestId('designer-node-old').count()).toBe(0);

    // ---- a visitor who starts now runs version 2 and keeps it ----
    const running = await visitorClient(stack.baseUrl, 'Early', { channel: CHANNEL });
    expect(running.conversation.flowVersion).toBe(2);

    // ---- roll back to version 1 ----
    await rows.nth(1).getByTestId('version-rollback').click();
    expect(await page.getByTestId('version-rollback-confirm').textContent()).toContain('published as version 3');
    await page.getByTestId('version-rollback-yes').click();
    await expect.poll(() => page.getByTestId('versions-message').textContent(), WAIT).toContain('Version 1 is live again, published as version 3');
    await expect.poll(() => rows.count(), WAIT).toBe(3);
    expect(await rows.first().getByTestId('version-live').count()).toBe(1);
    expect(await rows.first().getByTestId('version-restored-from').textContent()).toContain('restored from version 1');
    await page.screenshot({ path: `${SHOTS}/rolled-back-en-1280.png` });

    const fresh = await visitorClient(stack.baseUrl, 'Late', { channel: CHANNEL });
    expect(fresh.conversation.flowVersion).toBe(3);
    expect((await fresh.waitForBody('menu')).header).toBe('Menu of version 1');
    expect((await running.waitForBody('menu')).header).toBe('Menu of version 2');
    fresh.close();
    running.close();
    await context.close();
  });

  it('exports the draft, refuses a bad file with its path, imports a good one (undoable) and restores a version as the draft', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    await openVersions(page);

    const download = page.waitForEvent('download');
    await page.getByTestId('designer-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${FLOW}-draft.json`);
    const exported = JSON.parse(fs.readFileSync((await file.path()), 'utf8')) as { nodes: Array<{ id: string; position?: unknown }> };
    expect(exported.nodes.map((n) => n.id)).toEqual(['welcome', 'menu', 'extra', 'bye']);

    const chooser = page.getByTestId('designer-import-file');
    const bad = { ...V2, nodes: [...V2.nodes, { id: 'x', type: 'message', config: { text: 'Hi', colour: 'red' }, edges: [{ on: 'next' }] }] };
    await chooser.setInputFiles({ name: 'bad-flow.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    const result = page.getByTestId('designer-import-result');
    await expect.poll(() => result.getAttribute('data-ok'), WAIT).toBe('false');
    expect(await result.textContent()).toContain('Not imported: bad-flow.json is not a Parley flow. Nothing changed.');
    expect(await page.getByTestId('designer-import-problem').allTextContents()).toEqual(['nodes[4].edges[0].to: Invalid input: expected string, received undefined']);
    expect(await page.getByTestId('designer-node-x').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/import-refused-en-1280.png` });
    await chooser.setInputFiles({ name: 'not-json.json', mimeType: 'application/json', buffer: Buffer.from('{"start": ') });
    await expect.poll(() => page.getByTestId('designer-import-problem').first().textContent(), WAIT).toMatch(/^not JSON: /);

    const good = { ...V1, nodes: V1.nodes.map((n) => (n.id === 'welcome' ? say('welcome', 'Imported hello!', 'menu') : n)) };
    await chooser.setInputFiles({ name: 'good-flow.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
    await expect.poll(() => result.getAttribute('data-ok'), WAIT).toBe('true');
    await page.getByTestId('designer-node-old').waitFor(WAIT);
    expect(await page.getByTestId('designer-node-welcome').textContent()).toContain('Imported hello!');
    await expect.poll(() => page.getByTestId('flow-designer').getAttribute('data-save-state'), WAIT).toBe('saved');
    const saved = await http<{ draft: { nodes: Array<{ id: string; config: { text?: string } }> } }>(stack.baseUrl, 'GET', `/api/flows/${FLOW}`, { token });
    expect(saved.body.draft.nodes[0].config.text).toBe('Imported hello!');
    await page.getByTestId('designer-undo').click();
    await page.getByTestId('designer-node-extra').waitFor(WAIT);
    expect(await page.getByTestId('designer-node-old').count()).toBe(0);

    // ---- restore version 1 as the draft: first while another admin has saved the draft since (warned, nothing restored) ----
    await expect.poll(() => page.getByTestId('flow-designer').getAttribute('data-save-state'), WAIT).toBe('saved');
    const current = await http<{ revision: number; draft: Record<string, unknown> }>(stack.baseUrl, 'GET', `/api/flows/${FLOW}`, { token });
    const theirs = { ...current.body.draft, variables: ['theirs'] };
    expect((await http(stack.baseUrl, 'PUT', `/api/flows/${FLOW}`, { token, body: { draft: theirs, revision: current.body.revision } })).status).toBe(200);
    await page.getByTestId('version-row').last().getByTestId('version-restore').click();
    await expect.poll(() => page.getByTestId('versions-message').textContent(), WAIT).toContain('Not restored: another admin saved the draft since you loaded it');
    const untouched = await http<{ draft: { variables: string[] } }>(stack.baseUrl, 'GET', `/api/flows/${FLOW}`, { token });
    expect(untouched.body.draft.variables).toEqual(['theirs']);
    await page.reload();
    await page.getByTestId('designer-node-menu').waitFor(WAIT);
    await page.getByTestId('designer-tab-versions').click();
    await page.getByTestId('version-row').last().getByTestId('version-restore').click();
    await expect.poll(() => page.getByTestId('versions-message').textContent(), WAIT).toContain('Version 1 is now the draft');
    await page.getByTestId('designer-node-old').waitFor(WAIT);
    const restored = await http<{ draft: { nodes: Array<{ id: string }> } }>(stack.baseUrl, 'GET', `/api/flows/${FLOW}`, { token });
    expect(restored.body.draft.nodes.map((n) => n.id)).toEqual(['welcome', 'menu', 'old', 'bye']);

    // ---- the raw JSON view's save runs the same check: refused with the path, nothing saved ----
    await page.getByTestId('flow-view-json').click();
    const json = page.getByTestId('flow-json');
    await json.waitFor(WAIT);
    await json.fill(JSON.stringify({ ...V1, settings: { ...settings, visitorTimeoutSecs: 30 } }, null, 2));
    await page.getByTestId('flow-save').click();
    await expect.poll(() => page.getByTestId('flow-problem').allTextContents(), WAIT)
      .toEqual([expect.stringContaining('unknown key "settings.visitorTimeoutSecs" (did you mean "visitorTimeoutSec"?)')]);
    expect(await page.getByTestId('flow-problems').textContent()).toContain('Not saved: this is not a Parley flow. Nothing changed.');
    const after = await http<{ draft: { settings: Record<string, unknown> } }>(stack.baseUrl, 'GET', `/api/flows/${FLOW}`, { token });
    expect(after.body.draft.settings).not.toHaveProperty('visitorTimeoutSecs');
    await page.screenshot({ path: `${SHOTS}/raw-json-refused-en-1280.png` });
    await context.close();
  });

  it('looks right in Chinese and on a phone (screenshots), with no serious axe violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await openVersions(page);
    await page.getByTestId('versions-compare-from').selectOption('2');
    await page.getByTestId('versions-compare-to').selectOption('draft');
    await page.getByTestId('versions-compare-go').click();
    await page.getByTestId('versions-banner').waitFor(WAIT);
    expect(await page.getByTestId('versions-banner').textContent()).toContain('只读');
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${SHOTS}/compare-zh-1280.png` });
    expect(await seriousAxeViolations(page, '[data-testid="designer-versions"]')).toEqual([]);
    await context.close();

    for (const locale of ['en-US', 'zh-CN']) {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale, isMobile: true, hasTouch: true });
      const p = await phone.newPage();
      await staffLogin(p, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
      await p.goto(`${stack.baseUrl}/admin/flows/${FLOW}`);
      await p.getByTestId('designer-narrow').waitFor(WAIT);
      await p.getByTestId('designer-versions').waitFor(WAIT);
      await p.getByTestId('versions-compare-go').click();
      await p.getByTestId('versions-diff').waitFor(WAIT);
      expect(await seriousAxeViolations(p, '[data-testid="designer-versions"]')).toEqual([]);
      const tag = locale === 'zh-CN' ? 'zh' : 'en';
      await p.screenshot({ path: `${SHOTS}/narrow-${tag}-390.png` });
      await p.getByTestId('versions-diff').scrollIntoViewIfNeeded();
      await p.screenshot({ path: `${SHOTS}/narrow-${tag}-diff-390.png` });
      await p.getByTestId('version-row').last().scrollIntoViewIfNeeded();
      await p.screenshot({ path: `${SHOTS}/narrow-${tag}-list-390.png` });
      await phone.close();
    }
  });
});
