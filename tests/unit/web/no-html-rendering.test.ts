import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Regression guard: the web apps render visitor and agent text, so nothing may turn a string into markup.
 * Vue's text interpolation escapes; the raw-HTML directive and DOM HTML setters do not.
 */
const webDir = fileURLToPath(new URL('../../../web/', import.meta.url));
const SKIP_DIRS = new Set(['node_modules', 'dist']);
const FORBIDDEN: { name: string; pattern: RegExp }[] = [
  { name: 'v-html', pattern: /\bv-html\b/ },
  { name: 'innerHTML', pattern: /\binnerHTML\b/ },
  { name: 'outerHTML', pattern: /\bouterHTML\b/ },
  { name: 'insertAdjacentHTML', pattern: /\binsertAdjacentHTML\b/ },
  { name: 'document.write', pattern: /\bdocument\.write(ln)?\s*\(/ },
  { name: 'createContextualFragment', pattern: /\bcreateContextualFragment\b/ },
  // Issue 5: the other ways a string becomes markup or code in a page.
  { name: 'setHTMLUnsafe', pattern: /\bsetHTMLUnsafe\b/ },
  { name: 'srcdoc', pattern: /\bsrcdoc\b/ },
  { name: 'DOMParser.parseFromString', pattern: /\bparseFromString\b/ },
  { name: 'eval / new Function', pattern: /\beval\s*\(|\bnew\s+Function\s*\(/ },
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name)) out.push(...sourceFiles(path));
    } else if (/\.(vue|ts|tsx|js|mjs)$/.test(name)) {
      out.push(path);
    }
  }
  return out;
}

describe('web apps never render user text as HTML', () => {
  const files = sourceFiles(webDir);

  it('finds the web sources to scan', () => {
    expect(files.some((f) => f.endsWith('.vue'))).toBe(true);
    expect(files.some((f) => f.endsWith('.ts'))).toBe(true);
  });

  it('has no raw-HTML rendering in any .vue or .ts file', () => {
    const offences: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const { name, pattern } of FORBIDDEN) {
          if (pattern.test(line)) offences.push(`${relative(webDir, file)}:${i + 1} uses ${name}`);
        }
      });
    }
    expect(offences).toEqual([]);
  });
});
