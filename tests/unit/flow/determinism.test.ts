import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The engine runs inside Temporal's deterministic workflow sandbox: everything it loads at runtime
 * must stay inside domain/flow (no zod, no Node APIs) and must not read clocks or randomness.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Packages vetted for the sandbox: re2js (linear-time patterns) is pure JS and reads no clock or randomness. */
const VETTED_PACKAGES = ['re2js'];
const RUNTIME_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function runtimeModules(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const source = readFileSync(file, 'utf8');
    seen.set(file, source);
    for (const match of source.matchAll(RUNTIME_IMPORT)) {
      const spec = match[1];
      if (!spec.startsWith('.')) {
        seen.set(spec, '');
        continue;
      }
      visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  };
  visit(resolve(ROOT, entry));
  return seen;
}

describe('engine determinism', () => {
  const modules = runtimeModules('domain/flow/engine.ts');

  it('loads only modules of its own folder at runtime', () => {
    const outside = [...modules.keys()].map((file) => (file.startsWith('/') ? relative(ROOT, file) : file)).filter((file) => !file.startsWith('domain/flow/') && !VETTED_PACKAGES.includes(file));
    expect(outside).toEqual([]);
    expect([...modules.keys()].some((file) => file.endsWith('validate.ts'))).toBe(false);
  });

  it('reads no clock, randomness or process state', () => {
    for (const [file, source] of modules) {
      expect({ file, hits: source.match(/Date\.now|Math\.random|new Date\(\)|performance\.|process\.|setTimeout|crypto\./g) ?? [] }).toEqual({ file, hits: [] });
    }
  });
});
