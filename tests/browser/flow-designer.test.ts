import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack.js';
import { flows } from '../../db/schema.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { seriousAxeViolations } from './lib/axe.js';
import { shotsDir } from './lib/shots.js';

const SHOTS = shotsDir('designer');

/** Drops a palette node type on the canvas at (x, y) from the canvas's top-left corner. */
async function drop(page: Page, type: string, x: number, y: number) {
  const before = await page.locator('.vue-flow__node').count();
  const source = (await page.getByTestId(`palette-${type}`).boundingBox())!;
  const canvas = (await page.getByTestId('designer-canvas').boundingBox())!;
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(canvas.x + x, canvas.y + y, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => page.locator('.vue-flow__node').count(), WAIT).toBe(before + 1);
}

/** Drags from a node's output handle to another node's input handle, as an admin connects them. */
async function wire(page: Page, from: string, on: string, to: string) {
  await page.locator(`[data-testid="designer-output-${from}-${on}"] .vue-flow__handle`).dragTo(page.locator(`[data-testid="designer-node-${to}"] .vue-flow__handle.dn-in`));
  await page.locator(`.vue-flow__edge[data-id="${from}→${on}"]`).waitFor(WAIT);
}

const field = (page: Page, path: string): Locator => page.getByTestId(`field-${path}-text`).locator('input, textarea').first();

async function selectNode(page: Page, id: string) {
  await page.getByTestId(`designer-node-${id}`).locator('.dn-head').click();
  await page.locator(`[data-testid="designer-node-id"]`).and(page.locator(`[value="${id}"]`)).waitFor(WAIT).catch(async () => {
    await expect.poll(() => page.getByTestId('designer-node-id').inputValue(), WAIT).toBe(id);
  });
}

async function setDraft(stack: Stack, draft: Record<string, unknown>) {
  await stack.database.db.update(flows).set({ draft: draft as never }).where(eq(flows.id, 'default'));
}

describe('flow designer in a real browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    fs.mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('an admin builds welcome → menu → form (regex) → condition → hand-off with the mouse, fixes a problem, previews it, publishes; a visitor runs it', async () => {
    await setDraft(stack, { start: '', variables: [], nodes: [], settings: {} });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const admin = await context.newPage();
    await staffLogin(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await admin.goto(`${stack.baseUrl}/admin/flows/default`);
    await admin.getByTestId('designer-empty').waitFor(WAIT);
    await admin.getByTestId('palette-message').waitFor(WAIT);

    // ---- welcome message, with ${…} completion ----
    await drop(admin, 'message', 170, 60);
    await admin.getByTestId('designer-node-message-1').waitFor(WAIT);
    const welcome = field(admin, 'config.text');
    await welcome.click();
    await welcome.pressSequentially('Hello ${visi');
    await admin.getByTestId('variable-option-visitorName').click();
    expect(await welcome.inputValue()).toBe('Hello ${visitorName}');
    await welcome.pressSequentially(', welcome to the designer test.');

    // ---- menu ----
    await drop(admin, 'menu', 170, 300);
    await admin.getByTestId('designer-node-menu-1').waitFor(WAIT);
    await field(admin, 'config.header').fill('How can we help?');
    await admin.getByTestId('field-config.items-add').click();
    await field(admin, 'config.items.0.id').fill('order');
    await field(admin, 'config.items.0.content').fill('Order status');
    await admin.getByTestId('designer-output-menu-1-order').waitFor(WAIT); // the item is an output, labelled
    expect(await admin.getByTestId('designer-output-menu-1-order').textContent()).toContain('Order status');

    // ---- form with a regex rule (first written wrong) ----
    await drop(admin, 'form', 520, 60);
    await admin.getByTestId('designer-node-form-1').waitFor(WAIT);
    await field(admin, 'config.prompt').fill('Your order number?');
    await field(admin, 'config.variable').fill('order');
    await admin.getByTestId('field-config.rules-add').click();
    await admin.getByTestId('field-config.rules.0').locator('select').first().selectOption('regex');
    await field(admin, 'config.rules.0.pattern').fill('([0-9]{6}');
    await field(admin, 'config.rules.0.message').fill('Six digits, please.');

    // ---- condition and hand-off ----
    await drop(admin, 'condition', 520, 330);
    await admin.getByTestId('designer-node-condition-1').waitFor(WAIT);
    await admin.getByTestId('field-config.all-add').click();
    await field(admin, 'config.all.0.variable').fill('order');
    await field(admin, 'config.all.0.value').fill('123456');
    await drop(admin, 'handoff', 170, 560);
    await admin.getByTestId('designer-node-handoff-1').waitFor(WAIT);

    // ---- connect with the mouse ----
    await wire(admin, 'message-1', 'next', 'menu-1');
    await wire(admin, 'menu-1', 'order', 'form-1');
    await wire(admin, 'form-1', 'next', 'condition-1');
    await wire(admin, 'condition-1', 'true', 'handoff-1');
    await wire(admin, 'condition-1', 'false', 'handoff-1');

    // ---- the problem shows on the canvas and in the list; publish is disabled ----
    const formNode = admin.getByTestId('designer-node-form-1');
    await expect.poll(() => formNode.getAttribute('data-state'), WAIT).toBe('error');
    expect(await admin.getByTestId('designer-publish').isDisabled()).toBe(true);
    await admin.getByTestId('designer-tab-problems').click();
    const problem = admin.locator('[data-testid="designer-problem"][data-code="invalid_regex"]');
    await problem.waitFor(WAIT);
    await admin.screenshot({ path: `${SHOTS}/built-with-problem-1280.png` });
    await problem.locator('button').click(); // focuses the node and opens its properties
    await expect.poll(() => admin.getByTestId('designer-node-id').inputValue(), WAIT).toBe('form-1');
    await field(admin, 'config.rules.0.pattern').fill('^[0-9]{6}$');
    await admin.getByTestId('regex-sample').fill('123456');
    await expect.poll(() => admin.getByTestId('regex-result').getAttribute('data-tone'), WAIT).toBe('ok');
    await expect.poll(() => formNode.getAttribute('data-state'), WAIT).toBe('ok');
    await expect.poll(() => admin.getByTestId('flow-designer').getAttribute('data-problem-count'), WAIT).toBe('0');

    // ---- axe on the designer's panels (node, settings, problems) ----
    expect(await seriousAxeViolations(admin, '[data-testid="flow-designer"]')).toEqual([]);
    await admin.getByTestId('designer-tab-settings').click();
    await admin.getByTestId('designer-settings').waitFor(WAIT);
    expect(await seriousAxeViolations(admin, '[data-testid="flow-designer"]')).toEqual([]);
    await admin.getByTestId('designer-tab-problems').click();
    expect(await seriousAxeViolations(admin, '[data-testid="flow-designer"]')).toEqual([]);

    // ---- previewed before publishing: the draft runs in the Try-it panel as a visitor would see it ----
    await admin.getByTestId('designer-tab-preview').click();
    const preview = admin.getByTestId('designer-preview');
    await preview.waitFor(WAIT);
    await expect.poll(() => admin.getByTestId('preview-restart').isEnabled(), WAIT).toBe(true);
    await admin.getByTestId('preview-restart').click();
    const said = preview.getByTestId('message-list');
    await said.getByText('welcome to the designer test').first().waitFor(WAIT);
    await said.locator('[data-testid="menu-item"][data-choice-id="order"]').click();
    await said.getByText('Your order number?').first().waitFor(WAIT);
    expect(await admin.getByTestId('preview-current').getAttribute('data-node-id')).toBe('form-1');
    await admin.getByTestId('preview-answer').fill('12ab');
    await admin.getByTestId('preview-send').click();
    await said.getByText('Six digits, please.').first().waitFor(WAIT);
    await admin.getByTestId('preview-answer').fill('123456');
    await admin.getByTestId('preview-send').click();
    await admin.getByTestId('preview-handoff').waitFor(WAIT);
    await admin.getByTestId('preview-path').locator('summary').click();
    expect(await admin.getByTestId('preview-path').locator('li').allTextContents()).toEqual(['message-1', 'menu-1', 'form-1', 'condition-1', 'handoff-1']);
    await admin.screenshot({ path: `${SHOTS}/previewed-1280.png` });

    // ---- undo/redo a move of the hand-off, then publish ----
    await expect.poll(() => admin.getByTestId('flow-designer').getAttribute('data-save-state'), WAIT).toBe('saved');
    const publish = admin.getByTestId('designer-publish');
    await expect.poll(() => publish.isEnabled(), WAIT).toBe(true);
    await publish.click();
    await admin.getByTestId('designer-status').filter({ hasText: 'Published version 2' }).waitFor(WAIT);
    await expect.poll(() => publish.isDisabled(), WAIT).toBe(true); // the draft is now the live version
    await admin.screenshot({ path: `${SHOTS}/published-1280.png` });

    // ---- a visitor runs it ----
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${stack.baseUrl}/`);
    await visitor.getByTestId('message').filter({ hasText: 'welcome to the designer test' }).waitFor(WAIT);
    await visitor.getByTestId('menu-item').filter({ hasText: 'Order status' }).click();
    await visitor.getByTestId('form').filter({ hasText: 'Your order number?' }).waitFor(WAIT);
    await visitor.getByTestId('composer-input').fill('12ab');
    await visitor.getByTestId('composer-send').click();
    await visitor.getByTestId('notice').filter({ hasText: 'Six digits, please.' }).waitFor(WAIT);
    await visitor.getByTestId('composer-input').fill('123456');
    await visitor.getByTestId('composer-send').click();
    await visitor.getByText('Connecting you to an agent').first().waitFor(WAIT);
    await context.close();
  });

  it('two admins edit the same flow: the second save is refused (409), shown, and nothing is lost', async () => {
    const pages: Page[] = [];
    for (let i = 0; i < 2; i++) {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await staffLogin(page, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
      await page.goto(`${stack.baseUrl}/admin/flows/default`);
      await page.getByTestId('designer-tab-settings').click();
      await page.getByTestId('designer-settings').waitFor(WAIT);
      pages.push(page);
    }
    const [first, second] = pages as [Page, Page];
    await field(first, 'settings.closeText').fill('Closed by the first admin.');
    await expect.poll(() => first.getByTestId('flow-designer').getAttribute('data-save-state'), WAIT).toBe('saved');

    await field(second, 'settings.closeText').fill('Closed by the second admin.');
    await second.getByTestId('designer-conflict').waitFor(WAIT);
    expect(await second.getByTestId('flow-designer').getAttribute('data-save-state')).toBe('conflict');
    expect(await second.getByTestId('designer-conflict').textContent()).toContain('revision');
    expect(await field(second, 'settings.closeText').inputValue()).toBe('Closed by the second admin.'); // kept
    await second.screenshot({ path: `${SHOTS}/conflict-1280.png` });
    const [row] = await stack.database.db.select().from(flows).where(eq(flows.id, 'default'));
    expect((row.draft as { settings: { closeText: string } }).settings.closeText).toBe('Closed by the first admin.'); // not overwritten

    await second.getByTestId('designer-keep-mine').click(); // a knowing choice
    await expect.poll(() => second.getByTestId('flow-designer').getAttribute('data-save-state'), WAIT).toBe('saved');
    const [after] = await stack.database.db.select().from(flows).where(eq(flows.id, 'default'));
    expect((after.draft as { settings: { closeText: string } }).settings.closeText).toBe('Closed by the second admin.');
    for (const page of pages) await page.context().close();
  });

  it('a 30-node flow with Chinese texts and no positions is laid out and fits the view; narrow screens get a notice', async () => {
    const nodes: Record<string, unknown>[] = [];
    for (let i = 0; i < 29; i++) {
      nodes.push(i % 3 === 1
        ? { id: `menu-${i}`, type: 'menu', config: { header: `请选择服务类型（第 ${i} 步）`, items: [{ id: 'a', content: '查询订单状态和物流信息' }, { id: 'b', content: '转人工客服' }] }, edges: [{ on: 'a', to: `n-${i + 1}` }, { on: 'b', to: 'handoff' }] }
        : { id: `n-${i}`, type: 'message', config: { text: `您好，欢迎光临！这是第 ${i} 条比较长的中文消息，用来检查换行和截断是否正常。` }, edges: [{ on: 'next', to: (i + 1) % 3 === 1 ? `menu-${i + 1}` : `n-${i + 1}` }] });
    }
    nodes.push({ id: 'handoff', type: 'handoff', config: { connecting: '正在为您转接客服…' }, edges: [] });
    // the last generated node leads to n-29, which is the hand-off's stand-in: point it at the hand-off
    const last = nodes[28] as { edges: { on: string; to: string }[] };
    last.edges = last.edges.map((e) => ({ ...e, to: 'handoff' }));
    await setDraft(stack, { start: 'n-0', variables: [], nodes, settings: {} });

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })).newPage();
    await staffLogin(page, `${stack.baseUrl}/admin/login?locale=zh-CN`, 'admin@parley.local');
    await page.goto(`${stack.baseUrl}/admin/flows/default?locale=zh-CN`);
    await page.getByTestId('designer-node-handoff').waitFor(WAIT);
    // laid out: positions saved in the draft, every node inside the canvas after fit view
    await expect.poll(async () => {
      const [row] = await stack.database.db.select().from(flows).where(eq(flows.id, 'default'));
      return (row.draft as { nodes: { position?: unknown }[] }).nodes.every((n) => n.position !== undefined);
    }, WAIT).toBe(true);
    await page.waitForTimeout(600);
    const canvas = (await page.getByTestId('designer-canvas').boundingBox())!;
    for (const id of ['n-0', 'handoff', 'menu-28'.replace('28', '25')]) {
      const box = (await page.getByTestId(`designer-node-${id}`).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(canvas.x - 1);
      expect(box.x + box.width).toBeLessThanOrEqual(canvas.x + canvas.width + 1);
      expect(box.y).toBeGreaterThanOrEqual(canvas.y - 1);
      expect(box.y + box.height).toBeLessThanOrEqual(canvas.y + canvas.height + 1);
    }
    await page.screenshot({ path: `${SHOTS}/thirty-nodes-zh-1280.png` });
    await selectNode(page, 'menu-1');
    await page.getByTestId('designer-properties').waitFor(WAIT);
    await page.screenshot({ path: `${SHOTS}/properties-zh-1280.png` });
    expect(await seriousAxeViolations(page, '[data-testid="flow-designer"]')).toEqual([]);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('designer-narrow').waitFor(WAIT);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/narrow-zh-390.png`, fullPage: true });
    await page.context().close();
  });
});
