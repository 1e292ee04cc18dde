import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every workflow evaluates the modules it loads (docs/architecture.md): what workflows/ loads at runtime
 * is workflow code and domain/ modules that import zod-based ones as types only.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PACKAGES = ['@temporalio/workflow', '@temporalio/common', 're2js'];
const RUNTIME_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function runtimeModules(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(RUNTIME_IMPORT)) {
      const spec = match[1];
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else seen.add(spec);
    }
  };
  visit(resolve(ROOT, entry));
  return seen;
}

describe('workflow sandbox imports', () => {
  const modules = [...runtimeModules('workflows/index.ts')].map((m) => (m.startsWith('/') ? relative(ROOT, m) : m));

  it('loads only workflows/, domain/ and the vetted packages (no zod, no db, no activities)', () => {
    const outside = modules.filter((m) => !m.startsWith('workflows/') && !m.startsWith('domain/') && !PACKAGES.includes(m));
    expect(outside).toEqual([]);
  });

  it('loads no schema module of the domain', () => {
    const schemas = ['domain/flow/schema.ts', 'domain/flow/settings.ts', 'domain/flow/nodes/kit.ts', 'domain/flow/validate.ts', 'domain/routing.ts', 'domain/contracts/events.ts', 'domain/contracts/rest.ts'];
    expect(modules.filter((m) => schemas.includes(m))).toEqual([]);
  });
});
