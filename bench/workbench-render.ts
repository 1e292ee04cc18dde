/**
 * The `workbench` phase of `npm run bench` (issue 18): in Chromium (playwright-core), how long the agent
 * workbench takes from a click on a conversation of 2,000 messages until its newest message is in the
 * page and painted; and the gzipped JavaScript each web app loads (from the vite build in web/dist).
 * How it is measured: docs/performance.md, "Workbench: conversation switch and bundle size".
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { hashPassword } from '../api/auth/passwords.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/browser/lib/web-build.js';
import { summarize } from './lib/stats.js';

const DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));
const APPS = { visitor: 'index.html', agent: 'agent/index.html', admin: 'admin/index.html' } as const;

/** Gzipped bytes (level 9) of the JavaScript an app's page loads up front: its entry script and every modulepreload. */
export function appJsGzipBytes(app: keyof typeof APPS): { bytes: number; files: string[] } {
  const html = fs.readFileSync(path.join(DIST, APPS[app]), 'utf8');
  const files = [...new Set([...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1]))];
  const bytes = files.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(DIST, f.replace(/^\//, ''))), { level: 9 }).length, 0);
  return { bytes, files };
}

/** Two conversations of `messages` messages each, held by a new agent; returns what the browser needs. */
async function seed(databaseUrl: string, password: string, messages: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const email = `bench-workbench-${randomUUID().slice(0, 8)}@bench.parley.local`;
    const { rows: [agent] } = await client.query<{ id: string }>(
      `insert into users (email, nickname, role, password_hash, max_conversations) values ($1, 'Bench Workbench', 'agent', $2, 10) returning id`,
      [email, await hashPassword(password)]);
    const conversations: Array<{ id: string; lastId: string }> = [];
    for (let n = 0; n < 2; n++) {
      const { rows: [visitor] } = await client.query<{ id: string }>(`insert into visitors (id, display_name) values (gen_random_uuid(), $1) returning id`, [`Bench visitor ${n + 1}`]);
      const id = randomUUID();
      await client.query(`insert into conversations (id, workflow_id, visitor_id, channel, status, agent_id, flow_id, flow_version)
        values ($1, $2, $3, 'web', 'assigned', $4, 'default', 1)`, [id, `conversation-${id}`, visitor.id, agent.id]);
      // Like a real transcript: both sides, a long message now and then, some with links.
      await client.query(`insert into messages (id, conversation_id, sender, sender_id, sender_name, body, client_id)
        select gen_random_uuid(), $1, case when i % 2 = 0 then 'agent' else 'visitor' end, null,
               case when i % 2 = 0 then 'Bench Workbench' else 'Bench visitor' end,
               jsonb_build_object('kind', 'text', 'text', 'Message ' || i || case when i % 5 = 0 then ' with a longer sentence that wraps onto a second line, see https://example.com/orders/' || i || ' for the details.' else '' end),
               'bench-' || i
        from generate_series(1, $2::int) i`, [id, messages]);
      const { rows: [last] } = await client.query<{ id: string }>(`select id from messages where conversation_id = $1 order by seq desc limit 1`, [id]);
      conversations.push({ id, lastId: last.id });
    }
    return { email, conversations };
  } finally {
    await client.end();
  }
}

export interface WorkbenchRenderOptions {
  apiUrl: string; databaseUrl: string; password: string; messages: number; samples: number; log: (line: string) => void;
}

export async function workbenchRenderPhase(o: WorkbenchRenderOptions) {
  const sizes = Object.fromEntries((Object.keys(APPS) as Array<keyof typeof APPS>).map((app) => [app, appJsGzipBytes(app)]));
  o.log(`app JS gzipped: ${Object.entries(sizes).map(([app, s]) => `${app} ${(s.bytes / 1024).toFixed(1)} kB (${s.files.length} files)`).join(', ')}`);

  const { email, conversations } = await seed(o.databaseUrl, o.password, o.messages);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${o.apiUrl}/agent/login`);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(o.password);
    await page.getByTestId('login-submit').click();
    for (const c of conversations) await page.locator(`[data-testid="conversation-item"][data-conversation-id="${c.id}"]`).waitFor({ timeout: 60_000 });
    /** Click → the newest message is in the DOM → the next frame is painted; timed inside the page (no round trips). */
    const switchTo = (c: { id: string; lastId: string }) => page.evaluate(async ({ id, lastId }) => {
      const item = document.querySelector<HTMLElement>(`[data-testid="conversation-item"][data-conversation-id="${id}"]`)!;
      const selector = `[data-testid="chat-pane"][data-conversation-id="${id}"] [data-message-id="${lastId}"]`;
      const t0 = performance.now();
      item.click();
      await new Promise<void>((resolve) => {
        if (document.querySelector(selector)) return resolve();
        const seen = new MutationObserver(() => { if (document.querySelector(selector)) { seen.disconnect(); resolve(); } });
        seen.observe(document.body, { childList: true, subtree: true });
      });
      await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return { ms: performance.now() - t0, rows: document.querySelectorAll('[data-testid="chat-pane"] [data-testid="message"]').length };
    }, c);
    // First opens load each transcript over the network; the switches measured after are what an agent does all day.
    for (const c of conversations) await switchTo(c);
    const samples: number[] = [];
    let rows = 0;
    for (let i = 0; i < o.samples; i++) {
      const r = await switchTo(conversations[i % 2]);
      samples.push(r.ms);
      rows = Math.max(rows, r.rows);
      await page.waitForTimeout(100);
    }
    const stats = summarize(samples);
    o.log(`switch to a ${o.messages}-message conversation: ${JSON.stringify(stats)}; message rows in the DOM: ${rows}`);
    return {
      results: {
        workbench_switch_p50_ms: stats.p50, workbench_switch_p95_ms: stats.p95,
        agent_js_gzip_kb: Math.round(sizes.agent.bytes / 102.4) / 10,
        visitor_js_gzip_kb: Math.round(sizes.visitor.bytes / 102.4) / 10,
        admin_js_gzip_kb: Math.round(sizes.admin.bytes / 102.4) / 10,
      },
      details: { messages: o.messages, samples: stats, domRows: rows, files: Object.fromEntries(Object.entries(sizes).map(([a, s]) => [a, s.files])) },
    };
  } finally {
    await browser.close();
  }
}
