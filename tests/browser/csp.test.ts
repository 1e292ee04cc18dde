/**
 * Issue 16 item 7 in a real browser: the three built apps run under the strict Content-Security-Policy
 * with no violation (sockets included), an inline script injected into a page is blocked, the staff
 * apps cannot be framed by another site while the visitor chat can be by an allowed one, and the
 * staff session lives in an HttpOnly cookie, not in localStorage.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild } from './lib/web-build.js';
import { staffLogin, WAIT } from './lib/staff.js';

/** CSP violations a page reports, from the DOM event and from the console. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) fromConsole.push(m.text()); });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`));
  });
  return async () => [...fromConsole, ...await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)];
}

describe('content security policy and cookie sessions in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  /** Another site (another origin on this machine) that embeds Parley's pages, as a shop would. */
  let shop: http.Server;
  let shopUrl: string;
  const contexts: BrowserContext[] = [];
  const newPage = async () => {
    const context = await browser.newContext();
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    ensureWebBuild();
    shop = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><title>Shop</title>
        <iframe name="visitor" src="${stack.baseUrl}/"></iframe>
        <iframe name="agent" src="${stack.baseUrl}/agent/login"></iframe>
        <iframe name="admin" src="${stack.baseUrl}/admin/login"></iframe>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    stack = await startStack({ api: { frameOrigins: ["'self'", shopUrl] } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    shop?.close();
    await stack?.stop();
  });

  it('the visitor chat, the workbench and the console run with no CSP violation, sockets connected', async () => {
    const visitor = await newPage();
    const visitorCsp = await watchCsp(visitor);
    await visitor.goto(`${stack.baseUrl}/`);
    await visitor.getByTestId('menu-item').first().waitFor(WAIT); // the flow's menu came over the socket
    expect(await visitorCsp()).toEqual([]);

    const agent = await newPage();
    const agentCsp = await watchCsp(agent);
    await staffLogin(agent, `${stack.baseUrl}/agent/login`, 'alice@parley.local');
    await agent.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT);
    await agent.getByTestId('status-switch').selectOption('online');
    await agent.locator('[data-testid="status-switch"][data-status="online"]').waitFor(WAIT);
    expect(await agentCsp()).toEqual([]);

    const admin = await newPage();
    const adminCsp = await watchCsp(admin);
    await staffLogin(admin, `${stack.baseUrl}/admin/login`, 'admin@parley.local');
    await admin.getByTestId('conversations-table').waitFor(WAIT);
    for (const nav of ['nav-queue', 'nav-agents', 'nav-teams', 'nav-routing', 'nav-flows']) {
      await admin.getByTestId(nav).click();
      await admin.waitForLoadState('networkidle');
    }
    await admin.goto(`${stack.baseUrl}/admin/flows/default`);
    await admin.getByTestId('flow-designer').waitFor(WAIT); // the canvas: Vue Flow's dynamic styles and its layout worker
    await admin.getByTestId('flow-view-json').click();
    await admin.getByTestId('flow-diagram').first().waitFor(WAIT); // dynamic :style bindings
    expect(await adminCsp()).toEqual([]);

    // The session is the HttpOnly cookie: no token in storage, none readable by scripts.
    const storage = await agent.evaluate(() => ({ local: JSON.stringify(localStorage), cookies: document.cookie }));
    expect(storage.local).not.toMatch(/eyJ/);
    expect(storage.cookies).not.toMatch(/parley_session/);
    expect(storage.cookies).toMatch(/parley_csrf=/);
  });

  it('an inline script injected into a page does not run and is reported', async () => {
    const page = await newPage();
    const violations = await watchCsp(page);
    await page.goto(`${stack.baseUrl}/agent/login`);
    await page.getByTestId('login-email').waitFor(WAIT);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      const img = document.createElement('img');
      img.setAttribute('src', 'data:,');
      img.setAttribute('onerror', 'window.__injected = true');
      document.body.append(img);
    });
    await expect.poll(violations, WAIT).toEqual(expect.arrayContaining([expect.stringMatching(/^script-src-elem blocked inline/), expect.stringMatching(/^script-src-attr blocked inline/)]));
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  });

  it('another site may frame the visitor chat when allowed, never the workbench or the console', async () => {
    const page = await newPage();
    await page.goto(shopUrl);
    await page.frameLocator('iframe[name="visitor"]').getByTestId('menu-item').first().waitFor(WAIT);
    // A refused frame shows the browser's error page instead of the app.
    const urlOf = (name: string) => page.frames().find((f) => f.name() === name)?.url();
    await expect.poll(() => [urlOf('agent'), urlOf('admin')], WAIT).toEqual(['chrome-error://chromewebdata/', 'chrome-error://chromewebdata/']);
    for (const name of ['agent', 'admin']) expect(await page.frameLocator(`iframe[name="${name}"]`).getByTestId('login-email').count()).toBe(0);
  });

  it('signing out clears the cookie session: a reload lands on the login page', async () => {
    const page = await newPage();
    await staffLogin(page, `${stack.baseUrl}/agent/login`, 'bob@parley.local');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-email').waitFor(WAIT);
    expect(await page.context().cookies()).toEqual([]);
    await page.goto(`${stack.baseUrl}/agent/`);
    await page.getByTestId('login-email').waitFor(WAIT);
  });
});
