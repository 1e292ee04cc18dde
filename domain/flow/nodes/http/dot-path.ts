/**
 * Reads `a.b.0.c` from a JSON value; the empty path is the value itself. Only own properties are
 * followed. Returns undefined when a segment is missing.
 */
export function readPath(value: unknown, path: string): unknown {
  const trimmed = path.trim();
  if (trimmed === '') return value;
  let current: unknown = value;
  for (const segment of trimmed.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** How an answer field becomes a variable: strings as is, numbers/booleans printed, objects as JSON, missing as ''. */
export function toVariableText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
