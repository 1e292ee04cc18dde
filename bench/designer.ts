/**
 * The `designer` phase of `npm run bench` (issue 20): the flow designer on a 300-node flow.
 * - open: in Chromium (playwright-core), an admin on the flow list clicks the flow; time until the designer has
 *   laid the flow out and fitted it on the canvas (`performance.mark('parley:designer-ready')`), then until a click
 *   on a node shows its properties (interactive); the first open loads the designer's code, the later ones reuse it;
 * - validation: the validator the designer runs in its worker on each edit (domain/flow/validate.ts), on the same
 *   flow after a text edit, in this process;
 * - code: the designer's JavaScript loads only on the flow page (the other admin pages fetch none of it), and how
 *   much the admin console loads up front.
 * How it is measured: docs/performance.md, "The flow designer".
 */
import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium, type Page } from 'playwright-core';
import { hashPassword } from '../api/auth/passwords.js';
import { validateFlow } from '../domain/flow/validate.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/browser/lib/web-build.js';
import { bigFlow } from './lib/big-flow.js';
import { summarize } from './lib/stats.js';
import { appJsGzipBytes } from './workbench-render.js';

const DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

export interface DesignerPhaseOptions {
  apiUrl: string; databaseUrl: string; password: string; nodes: number; samples: number; edits: number; log: (line: string) => void;
}

async function seed(databaseUrl: string, password: string, nodes: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tag = randomUUID().slice(0, 8);
    const email = `bench-designer-${tag}@bench.parley.local`;
    await client.query(`insert into users (email, nickname, role, password_hash, max_conversations) values ($1, 'Bench Designer', 'admin', $2, 1)`,
      [email, await hashPassword(password)]);
    const flowId = `bench-${tag}`;
    await client.query(`insert into flows (id, name, channel, draft) values ($1, $2, $3, $4)`, [flowId, `Bench flow of ${nodes} nodes`, `bench-${tag}`, JSON.stringify(bigFlow(nodes))]);
    return { email, flowId };
  } finally {
    await client.end();
  }
}

/** From the click on the flow in the list: laid out and fitted (`ready`), then a node's properties shown (`interactive`). */
function openFromList(page: Page, flowId: string, nodeId: string) {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  return page.evaluate(async ({ flowId, nodeId }) => {
    performance.clearMarks('parley:designer-ready');
    performance.clearMarks('parley:designer-drawn');
    const link = document.querySelector<HTMLElement>(`[data-testid="flow-row"][data-flow-id="${flowId}"] [data-testid="flow-link"]`)!;
    const t0 = performance.now();
    link.click();
    while (performance.getEntriesByName('parley:designer-ready').length === 0) {
      if (performance.now() - t0 > 60_000) throw new Error(`not ready after 60 s at ${location.pathname}: ${document.querySelectorAll('.vue-flow__node').length} nodes drawn`);
      await new Promise((r) => requestAnimationFrame(r));
    }
    const ready = performance.getEntriesByName('parley:designer-ready')[0].startTime - t0;
    const drawn = performance.getEntriesByName('parley:designer-drawn')[0].startTime - t0;
    const head = document.querySelector<HTMLElement>(`[data-testid="designer-node-${nodeId}"] .dn-head`)!;
    const t1 = performance.now();
    head.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    head.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    head.click();
    while (document.querySelector<HTMLInputElement>('[data-testid="designer-node-id"]')?.value !== nodeId) {
      if (performance.now() - t1 > 30_000) throw new Error(`a click on ${nodeId} showed no properties in 30 s`);
      await new Promise((r) => requestAnimationFrame(r));
    }
    const select = performance.now() - t1;
    return { drawn, ready, select, interactive: performance.now() - t0, nodes: document.querySelectorAll('.vue-flow__node').length };
  }, { flowId, nodeId });
}

export async function designerPhase(o: DesignerPhaseOptions) {
  // Validation per edit, as the designer's worker runs it (one text changed each time).
  const flow = bigFlow(o.nodes);
  const times: number[] = [];
  for (let i = 0; i < o.edits; i++) {
    const edited = structuredClone(flow);
    (edited.nodes[i % edited.nodes.length].config as Record<string, unknown>).text = `Edited text ${i}`;
    const t0 = performance.now();
    const result = validateFlow(edited);
    times.push(performance.now() - t0);
    if (i === 0 && !result.ok && result.problems.some((p) => p.code !== 'unknown_key')) throw new Error(`the bench flow is invalid: ${JSON.stringify(result.problems[0])}`);
  }
  const validation = summarize(times.slice(Math.min(5, times.length - 1))); // the first runs warm the JIT
  o.log(`validate a ${o.nodes}-node flow after an edit: ${JSON.stringify(validation)}`);

  const { email, flowId } = await seed(o.databaseUrl, o.password, o.nodes);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const scripts = new Set<string>();
    page.on('request', (r) => { if (r.resourceType() === 'script' || r.url().endsWith('.js')) scripts.add(new URL(r.url()).pathname); });
    await page.goto(`${o.apiUrl}/admin/login`);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(o.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-flows').click();
    await page.locator(`[data-testid="flow-row"][data-flow-id="${flowId}"]`).waitFor({ timeout: 60_000 });
    const beforeDesigner = new Set(scripts);

    const samples: Array<{ drawn: number; ready: number; select: number; interactive: number; nodes: number }> = [];
    for (let i = 0; i < o.samples; i++) {
      samples.push(await openFromList(page, flowId, `d${i % 10}-menu`));
      // The first open lays the flow out and saves the positions: the next opens show a laid-out flow, as admins see it.
      await page.locator('[data-testid="flow-designer"][data-save-state="saved"]').waitFor({ timeout: 60_000 });
      await page.goBack();
      await page.locator(`[data-testid="flow-row"][data-flow-id="${flowId}"]`).waitFor({ timeout: 60_000 });
    }
    const designerFiles = [...scripts].filter((f) => !beforeDesigner.has(f));
    const designerBytes = designerFiles.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(DIST, f.replace(/^\//, ''))), { level: 9 }).length, 0);
    const admin = appJsGzipBytes('admin');
    const first = samples[0];
    const warm = summarize(samples.slice(1).map((s) => s.interactive));
    o.log(`open a ${o.nodes}-node flow (${first.nodes} nodes drawn): first ${Math.round(first.drawn)} ms drawn, ${Math.round(first.ready)} ms laid out, ${Math.round(first.interactive)} ms interactive; `
      + `again: drawn ${JSON.stringify(summarize(samples.slice(1).map((s) => s.drawn)))}, `
      + `again: interactive ${JSON.stringify(warm)}; select a node ${JSON.stringify(summarize(samples.map((s) => s.select)))}`);
    o.log(`admin console up front ${kb(admin.bytes)} kB gzipped; the designer's own JS ${kb(designerBytes)} kB in ${designerFiles.length} files, fetched only on the flow page`);
    return {
      results: {
        designer_open_first_ms: Math.round(first.interactive),
        designer_open_ms: warm.p50,
        designer_validate_p95_ms: validation.p95,
        designer_js_gzip_kb: kb(designerBytes),
        admin_js_gzip_kb: kb(admin.bytes),
      },
      details: { nodes: o.nodes, samples, validation, designerFiles, adminFiles: admin.files, scriptsBeforeDesigner: [...beforeDesigner] },
    };
  } finally {
    await browser.close();
  }
}
