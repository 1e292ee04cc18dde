import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { FILE_TEXTS } from '../../web/common/fileTexts.js';
import { fixtures } from '../helpers/files.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { staffLogin, WAIT } from './lib/staff.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { seriousAxeViolations } from './lib/axe.js';
import { shotsDir } from './lib/shots.js';

const SHOTS = shotsDir('files');
const LONG_CHINESE_PDF = '二〇二六年第三季度客户服务合同及全部附件（最终签字盖章版本，请在收到后七个工作日内回复确认）.pdf';

describe('files in a real browser: attach, thumbnail, open, download', () => {
  let stack: Stack;
  let browser: Browser;
  let visitor: Page;
  let agent: Page;
  const contexts: BrowserContext[] = [];
  const open = async (width: number, height: number) => {
    const ctx = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
    contexts.push(ctx);
    return ctx.newPage();
  };

  beforeAll(async () => {
    ensureWebBuild();
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('the visitor sends an image the agent sees as a thumbnail and opens; the agent sends a PDF the visitor downloads', async () => {
    visitor = await open(390, 800);
    await visitor.goto(`${stack.baseUrl}/`);
    await visitor.getByTestId('menu-item').filter({ hasText: 'Talk to an agent' }).click(WAIT);
    agent = await open(1280, 800);
    await staffLogin(agent, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await agent.getByTestId('status-switch').selectOption('online');
    await agent.getByTestId('offer-accept').click(WAIT);
    await visitor.getByTestId('notice').filter({ hasText: 'Alice' }).waitFor(WAIT);

    // the visitor attaches a photo; both sides show its thumbnail
    const photo = await fixtures.pngWithExif(1200, 800);
    await visitor.getByTestId('attach-input').setInputFiles({ name: '我的照片.png', mimeType: 'image/png', buffer: photo });
    await visitor.getByTestId('file-thumbnail').waitFor(WAIT);
    const agentThumb = agent.getByTestId('file-thumbnail');
    await agentThumb.waitFor(WAIT);
    await expect.poll(() => agentThumb.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), WAIT).toBe(320);
    expect(await agentThumb.getAttribute('alt')).toBe(FILE_TEXTS.imageAlt('我的照片.png'));

    // a click opens the full image in a new tab, served inline and never sniffed
    const [full] = await Promise.all([agent.context().waitForEvent('page'), agent.getByTestId('file-image-link').click()]);
    await full.waitForLoadState();
    expect(full.url()).toMatch(/\/api\/files\/[0-9a-f-]+\/original\?exp=\d+&sig=/);
    // Fetched from the test (the file's own CSP rightly allows the page no fetch of its own).
    const response = await full.context().request.get(full.url());
    const headers = { type: response.headers()['content-type'], nosniff: response.headers()['x-content-type-options'] };
    expect(headers).toEqual({ type: 'image/png', nosniff: 'nosniff' });
    await expect.poll(() => full.evaluate(() => { const img = document.querySelector('img'); return img ? `${img.naturalWidth}x${img.naturalHeight}` : null; }), WAIT)
      .toBe('1200x800');
    await full.close();

    // the agent sends a PDF with a long Chinese name; the visitor downloads it byte for byte
    const pdf = fixtures.pdf();
    await agent.getByTestId('attach-input').setInputFiles({ name: LONG_CHINESE_PDF, mimeType: 'application/pdf', buffer: pdf });
    const card = visitor.getByTestId('file-message').filter({ has: visitor.getByTestId('file-download') });
    await card.waitFor(WAIT);
    expect(await card.getByTestId('file-name').textContent()).toBe(LONG_CHINESE_PDF);
    await expect.poll(() => card.getByTestId('file-download').getAttribute('href'), WAIT).toMatch(/^\/api\/files\//);
    const [download] = await Promise.all([visitor.waitForEvent('download'), card.getByTestId('file-download').click()]);
    expect(download.suggestedFilename()).toBe(LONG_CHINESE_PDF);
    expect(fs.readFileSync((await download.path())).equals(pdf)).toBe(true);

    // a disguised file is refused in the catalogue's words, and nothing joins the transcript
    await visitor.getByTestId('attach-input').setInputFiles({ name: 'cat.png', mimeType: 'image/png', buffer: fixtures.svg() });
    const error = visitor.getByTestId('upload-error');
    await error.waitFor(WAIT);
    expect(await error.textContent()).toBe(FILE_TEXTS.failed('cat.png', FILE_TEXTS.markupRefused));
    expect(await visitor.getByTestId('file-message').count()).toBe(2);

    // look at it: phone and desktop widths, both apps
    await visitor.screenshot({ path: `${SHOTS}/visitor-390.png` });
    await agent.screenshot({ path: `${SHOTS}/agent-1280.png` });
    await visitor.setViewportSize({ width: 1280, height: 800 });
    await visitor.screenshot({ path: `${SHOTS}/visitor-1280.png` });
    await agent.setViewportSize({ width: 390, height: 800 });
    await agent.getByTestId('file-message').last().scrollIntoViewIfNeeded();
    await agent.screenshot({ path: `${SHOTS}/agent-390.png` });
    expect((await sharp(`${SHOTS}/agent-390.png`).metadata()).width).toBe(390);
  });

  it('retries an upload whose answer was lost, with the same clientId, so the file shows once', async () => {
    // The first attempt reaches the desk (which stores the file) but its answer never reaches the page.
    const attempts: string[] = [];
    await visitor.route('**/api/conversations/*/files?*', async (route) => {
      attempts.push(new URL(route.request().url()).searchParams.get('clientId')!);
      if (attempts.length === 1) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    const before = await visitor.getByTestId('file-message').count();
    await visitor.getByTestId('attach-input').setInputFiles({ name: 'receipt.jpg', mimeType: 'image/jpeg', buffer: await fixtures.jpeg(640, 480) });
    await expect.poll(() => attempts.length, { timeout: 15_000 }).toBe(2);
    await expect.poll(() => visitor.getByTestId('file-message').count(), WAIT).toBe(before + 1);
    expect(new Set(attempts).size).toBe(1);
    await expect.poll(() => visitor.getByTestId('upload').filter({ hasText: 'receipt.jpg' }).count(), WAIT).toBe(0);
    const { rows } = await stack.database.pool.query(`select count(*)::int as n from files where name = 'receipt.jpg'`);
    expect(rows[0].n).toBe(1);
    await visitor.unroute('**/api/conversations/*/files?*');
  });

  it('has an accessible attach control and file messages (axe-core: no serious or critical violation)', async () => {
    expect(visitor && agent, 'the first test opened both apps').toBeTruthy();
    expect(await seriousAxeViolations(visitor, '[data-testid="composer"]')).toEqual([]);
    expect(await seriousAxeViolations(visitor, '[data-testid="message-list"]')).toEqual([]);
    expect(await seriousAxeViolations(agent, '[data-testid="composer"]')).toEqual([]);
    expect(await seriousAxeViolations(agent, '[data-testid="message-list"]')).toEqual([]);
  });
});
