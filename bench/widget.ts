/**
 * The `widget` phase of `npm run bench` (issue 19): the embeddable widget against its targets, beside the
 * full-page chat at `/`.
 * - sizes: widget.js gzipped (≤ 6 kB) and the JavaScript the chat's iframe loads (≤ 80 kB), from web/dist;
 * - the host page's load event without the loader, with the recommended after-load snippet (≤ 5 ms later) and with
 *   the one `<script async>` tag (Chromium, no throttling; domain/widget-snippet.ts);
 * - under 4× CPU throttling (CDP Emulation.setCPUThrottlingRate) and fast 3G (Network.emulateNetworkConditions):
 *   when the launcher is interactive after the host page's load (≤ 300 ms), and how long after a click on it
 *   the chat shows the conversation's history (≤ 500 ms): on a returning page, whose frame loaded the history in
 *   the background after the host's load (how long that took is recorded too), and on a visitor's first page
 *   (the click starts the conversation);
 *   and the same history for the full-page chat, from navigation.
 * The host page is served by this module on another origin (`http://localhost:<port>`), allowed for channel
 * `web`. Chromium runs without site isolation so the throttling covers the chat's frame too.
 * How it is measured and what bounds it: docs/performance.md, "Widget".
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/browser/lib/web-build.js';
import { appJsGzipBytes } from './workbench-render.js';
import { widgetSnippets } from '../domain/widget-snippet.js';
import { summarize } from './lib/stats.js';

const DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));
const gz = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

/** Chrome DevTools' "Fast 3G" preset (its numbers: 562.5 ms round trip, 1.44 Mbit/s down, 675 kbit/s up). */
export const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };
const CPU_SLOWDOWN = 4;

/** Gzipped bytes of the JavaScript the widget's iframe page loads up front (its entry and every modulepreload). */
export function embedJsGzipBytes(): { bytes: number; files: string[] } {
  const html = fs.readFileSync(path.join(DIST, 'embed', 'index.html'), 'utf8');
  const files = [...new Set([...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1]))];
  return { bytes: files.reduce((n, f) => n + gz(path.join(DIST, f.replace(/^\//, ''))), 0), files };
}

type HostVariant = 'with' | 'without' | 'afterLoad';

function hostPage(apiUrl: string, variant: HostVariant): string {
  const snippets = widgetSnippets(apiUrl, 'web');
  const filler = Array.from({ length: 40 }, (_, i) => `<p>Product ${i + 1}: a paragraph of a shop page, as a site would have it.</p>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench shop</title>
<style>body{font-family:sans-serif;margin:2em} p{max-width:40em}</style></head><body><h1>Bench shop</h1>
${filler}
${variant === 'with' ? snippets.tag : variant === 'afterLoad' ? snippets.afterLoad : ''}
</body></html>`;
}

async function throttle(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', FAST_3G);
}

const loadEventAt = (page: Page) => page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventStart);

export interface WidgetBenchOptions { apiUrl: string; databaseUrl: string; samples: number; log: (line: string) => void }

export async function widgetPhase(o: WidgetBenchOptions) {
  const loader = gz(path.join(DIST, 'widget.js'));
  const frame = embedJsGzipBytes();
  const visitorApp = appJsGzipBytes('visitor');
  o.log(`widget.js ${kb(loader)} kB gzipped; chat frame JS ${kb(frame.bytes)} kB (${frame.files.length} files); full-page visitor app ${kb(visitorApp.bytes)} kB`);

  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(hostPage(o.apiUrl, req.url?.startsWith('/without') ? 'without' : req.url?.startsWith('/afterLoad') ? 'afterLoad' : 'with'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hostUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
  const db = new pg.Client({ connectionString: o.databaseUrl });
  await db.connect();
  await db.query(`insert into widget_settings (channel, identity_secret, allowed_origins) values ('web', $1, $2::jsonb)
    on conflict (channel) do update set allowed_origins = excluded.allowed_origins`, [randomBytes(32).toString('hex'), JSON.stringify([hostUrl])]);
  await db.end();

  // One renderer for the host page and the chat's frame, so the throttling applies to both.
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--disable-site-isolation-trials', '--disable-features=IsolateOrigins,site-per-process'] });
  try {
    // ---- the host page's load event, with and without the loader (fresh contexts, alternating) ----
    const loads = { with: [] as number[], without: [] as number[], afterLoad: [] as number[] };
    for (let i = 0; i < o.samples * 2; i++) {
      for (const which of i % 2 ? ['with', 'without', 'afterLoad'] as const : ['without', 'afterLoad', 'with'] as const) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${hostUrl}/${which}`, { waitUntil: 'load' });
        loads[which].push(await loadEventAt(page));
        await context.close();
      }
    }
    const loadWith = summarize(loads.with);
    const loadWithout = summarize(loads.without);
    const loadAfterLoad = summarize(loads.afterLoad);
    const loadDelay = Math.round((loadWith.p50 - loadWithout.p50) * 10) / 10;
    const loadDelayAfterLoad = Math.round((loadAfterLoad.p50 - loadWithout.p50) * 10) / 10;
    o.log(`host load event: without the loader ${JSON.stringify(loadWithout)}, with the one tag ${JSON.stringify(loadWith)} (p50 delay ${loadDelay} ms), `
      + `with the after-load snippet ${JSON.stringify(loadAfterLoad)} (p50 delay ${loadDelayAfterLoad} ms)`);

    // ---- throttled: launcher interactive after load, click → history, first page and returning visitor ----
    const launcherCold: number[] = [];
    const launcherWarm: number[] = [];
    const openFirst: number[] = [];
    const openReturning: number[] = [];
    const preloaded: number[] = [];
    const fullFirst: number[] = [];
    const fullReturning: number[] = [];
    const launcherAfterLoad = async (page: Page) => {
      await page.locator('parley-widget .launcher').waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => document.readyState === 'complete');
      return page.evaluate(() => {
        const mark = performance.getEntriesByName('parley:launcher')[0];
        const load = (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventStart;
        return Math.max(0, (mark?.startTime ?? performance.now()) - load);
      });
    };
    const clickToHistory = async (page: Page, atLeast: number, state: 'visible' | 'attached' = 'visible') => {
      const messages = page.frameLocator('parley-widget iframe').locator('[data-testid="message"]');
      const t0 = Date.now();
      await page.locator('parley-widget .launcher').click();
      await messages.nth(Math.max(0, atLeast - 1)).waitFor({ state, timeout: 120_000 });
      return { ms: Date.now() - t0, count: await messages.count() };
    };
    for (let i = 0; i < o.samples; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await throttle(context, page);
      await page.goto(`${hostUrl}/with`, { waitUntil: 'load', timeout: 120_000 });
      launcherCold.push(await launcherAfterLoad(page));
      const first = await clickToHistory(page, 1);
      openFirst.push(first.ms);
      // The conversation has its greeting and menu now: a returning page load shows them.
      await page.frameLocator('parley-widget iframe').locator('[data-testid="menu"]').first().waitFor({ timeout: 120_000 });
      const count = await page.frameLocator('parley-widget iframe').locator('[data-testid="message"]').count();
      await page.locator('parley-widget .launcher').click(); // close it, so the next page starts closed
      await page.goto(`${hostUrl}/with?page=2`, { waitUntil: 'load', timeout: 120_000 });
      const loadedAt = Date.now();
      launcherWarm.push(await launcherAfterLoad(page));
      // The returning page's frame loads the conversation in the background; the visitor clicks once it has.
      await page.frameLocator('parley-widget iframe').locator('[data-testid="message"]').nth(count - 1).waitFor({ state: 'attached', timeout: 120_000 });
      preloaded.push(Date.now() - loadedAt);
      openReturning.push((await clickToHistory(page, count, 'visible')).ms);
      await context.close();

      // The full-page chat: navigation → history shown, first visit and a reload.
      const fullContext = await browser.newContext();
      const full = await fullContext.newPage();
      await throttle(fullContext, full);
      let t0 = Date.now();
      await full.goto(`${o.apiUrl}/`, { waitUntil: 'commit', timeout: 120_000 });
      await full.locator('[data-testid="menu"]').first().waitFor({ timeout: 120_000 });
      fullFirst.push(Date.now() - t0);
      const fullCount = await full.locator('[data-testid="message"]').count();
      t0 = Date.now();
      await full.reload({ waitUntil: 'commit', timeout: 120_000 });
      await full.locator('[data-testid="message"]').nth(fullCount - 1).waitFor({ timeout: 120_000 });
      fullReturning.push(Date.now() - t0);
      await fullContext.close();
    }
    const s = {
      launcherCold: summarize(launcherCold), launcherWarm: summarize(launcherWarm), openFirst: summarize(openFirst), openReturning: summarize(openReturning),
      preloaded: summarize(preloaded),
      fullFirst: summarize(fullFirst), fullReturning: summarize(fullReturning),
    };
    o.log(`4× CPU + fast 3G: launcher interactive after load: first page ${JSON.stringify(s.launcherCold)}, next page ${JSON.stringify(s.launcherWarm)}`);
    o.log(`4× CPU + fast 3G: click → history: first page (starts the conversation) ${JSON.stringify(s.openFirst)}, returning ${JSON.stringify(s.openReturning)}`
      + ` (its frame had the history ${JSON.stringify(s.preloaded)} ms after the host page's load)`);
    o.log(`4× CPU + fast 3G: full-page chat, navigation → history: first visit ${JSON.stringify(s.fullFirst)}, reload ${JSON.stringify(s.fullReturning)}`);
    return {
      results: {
        widget_js_gzip_kb: kb(loader),
        widget_frame_js_gzip_kb: kb(frame.bytes),
        widget_load_delay_ms: loadDelayAfterLoad,
        widget_load_delay_one_tag_ms: loadDelay,
        widget_launcher_ready_ms: s.launcherWarm.p50,
        widget_launcher_ready_first_page_ms: s.launcherCold.p50,
        widget_open_history_ms: s.openReturning.p50,
        widget_open_history_first_page_ms: s.openFirst.p50,
        widget_history_preloaded_after_load_ms: s.preloaded.p50,
        fullpage_history_ms: s.fullReturning.p50,
        fullpage_history_first_visit_ms: s.fullFirst.p50,
      },
      details: {
        samples: o.samples, throttling: { cpu: CPU_SLOWDOWN, network: FAST_3G }, hostUrl, frameFiles: frame.files,
        visitorAppJsGzipKb: kb(visitorApp.bytes), load: { with: loadWith, without: loadWithout, afterLoad: loadAfterLoad }, ...s,
      },
    };
  } finally {
    await browser.close();
    server.close();
  }
}
