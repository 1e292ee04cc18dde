import { badRequest } from './errors.js';

/**
 * Deepest nesting of objects/arrays accepted in any JSON input (REST bodies, flow drafts, socket
 * payloads). Parley's deepest legitimate document, a flow definition, nests about ten levels; 5,000
 * levels used to reach PostgreSQL's jsonb parser and fail there as a 500.
 */
export const MAX_JSON_DEPTH = 32;

const depthError = (where: string) => badRequest(`${where}: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);

/** Nesting depth of raw JSON text, without parsing it (brackets inside strings do not count). Stops past `max`. */
export function jsonTextDepth(text: Uint8Array, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest && (deepest = depth) > max) return deepest;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

/** For express.json's `verify`: refuses a body nested too deeply before it is parsed (400). */
export function verifyJsonDepth(_req: unknown, _res: unknown, body: Buffer): void {
  if (jsonTextDepth(body) > MAX_JSON_DEPTH) throw depthError('body');
}

/** Refuses an already parsed value (a socket payload) nested too deeply; iterative, so any depth is safe to look at. */
export function assertJsonDepth(value: unknown, where: string): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > MAX_JSON_DEPTH) throw depthError(where);
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
}
