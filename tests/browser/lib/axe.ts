import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * axe-core's browser script: the installed package, else AXE_CORE_PATH (a path to axe.min.js). Null when
 * neither is there; the caller then says so instead of passing silently.
 */
export function axeScriptPath(): string | null {
  try {
    return createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  } catch {
    const fromEnv = process.env.AXE_CORE_PATH;
    return fromEnv && fs.existsSync(fromEnv) ? fromEnv : null;
  }
}

/** Serious and critical axe violations on the page (or inside `selector`), as readable lines. */
export async function seriousAxeViolations(page: Page, selector?: string): Promise<string[]> {
  const script = axeScriptPath();
  if (!script) throw new Error('axe-core is not installed: set AXE_CORE_PATH to an axe.min.js');
  await page.addScriptTag({ path: script });
  const violations = await page.evaluate(async (context) => {
    type Violation = { id: string; impact: string; nodes: Array<{ target: string[] }> };
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(context ?? document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  }, selector ?? null);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`);
}
