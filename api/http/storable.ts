import { badRequest } from './errors.js';

// NUL cannot be stored in PostgreSQL text or jsonb; a lone UTF-16 surrogate is not valid Unicode
// (text columns would silently store U+FFFD, jsonb rejects it). Both used to surface as 500s.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function find(value: unknown, path: string[], depth: number): string[] | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null; // deeper input fails its schema anyway
  for (const [key, child] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) return [...path, key.replace(new RegExp(UNSTORABLE.source, 'g'), '?')];
    const hit = find(child, [...path, key], depth + 1);
    if (hit) return hit;
  }
  return null;
}

/**
 * Refuses input that PostgreSQL cannot store verbatim: strings (values or keys) with NUL or lone
 * surrogates. Checked before schema validation for every REST route and socket event.
 */
export function assertStorable(value: unknown, where: string): void {
  const path = find(value, [], 0);
  if (!path) return;
  const field = path.length ? path.join('.') : undefined;
  throw badRequest(`${field ? `${where}.${field}` : where}: text must be valid Unicode without NUL characters`, field);
}
