import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Page } from 'playwright-core';

let cachedSource: string | undefined;

/** axe-core's browser script from the installed dev dependency (a missing package fails the test). */
function axeSource(): string {
  cachedSource ??= fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return cachedSource;
}

/**
 * Serious and critical axe violations on the page (or inside `selector`), as readable lines. axe is
 * evaluated as a script (not a <script> tag), so the app's CSP needs no bypass.
 */
export async function seriousAxeViolations(page: Page, selector?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${axeSource()}\n;0`);
  const violations = await page.evaluate(async (context) => {
    type Violation = { id: string; impact: string; nodes: Array<{ target: string[] }> };
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(context ? { include: [[context]] } : document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  }, selector ?? null);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`);
}
