/**
 * fast-check generators driven by JSON Schema (from the OpenAPI document, or z.toJSONSchema for socket
 * payloads): best-effort valid values, and values that are invalid *by construction* (wrong type,
 * out of range, too long, wrong format, missing/extra fields, unstorable text), each with a reason.
 */
import fc from 'fast-check';
import type { JsonSchema } from './openapi.js';

export interface Bad<T = unknown> { value: T; why: string }

/** Fragments attackers and unlucky users send: injections, markup, traversal, unicode oddities. */
export const HOSTILE_FRAGMENTS = [
  "' OR '1'='1", "'; DROP TABLE messages; --", '1; SELECT pg_sleep(10) --', '" OR ""="', "admin'--", '$where', '{"$gt":""}',
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', 'javascript:alert(1)', '<!--', ']]>',
  '__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty',
  '../../../../etc/passwd', '..\\..\\..\\windows\\win.ini', '%2e%2e%2f%2e%2e%2f', '/dev/random', 'file:///etc/passwd',
  '\u202Eevil.exe\u202C', '\u200B', '\u200D', '\uFEFF', '\u2028\u2029', '👩‍👩‍👧‍👦', '🔥💬', 'Z̤͔ͧ̑̓ä͖̭̈̇l͖͎g̞̥͈ͮ͐o', 'ﷺ', '𝕏',
  '${7*7}', '{{7*7}}', '#{7*7}', '%s%n%x', '\r\nSet-Cookie: a=b', 'null', 'undefined', 'NaN', 'Infinity', '-0', '1e309', ' ', '',
] as const;

/** NUL or lone surrogates: never storable in PostgreSQL text/jsonb, so always a 400. */
export const UNSTORABLE_FRAGMENTS = ['\u0000', 'a\u0000b', '\uD800', '\uDFFF', 'x\uD83D', '\uDE00y', '\u0000\uD800'] as const;

/** Hostile strings: fragments, their concatenations, random unicode (including lone surrogates) and random text. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS, ...UNSTORABLE_FRAGMENTS) },
  { weight: 2, arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ unit: 'grapheme', maxLength: 8 })), { minLength: 1, maxLength: 4 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

export const unstorableString: fc.Arbitrary<string> = fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...UNSTORABLE_FRAGMENTS),
    fc.string({ maxLength: 6 }))
  .map(([a, b, c]) => `${a}${b}${c}`);

/** The formats stringViolates checks (others, such as `binary`, cannot be broken by a string). */
const CHECKED_FORMATS = new Set(['uuid', 'email', 'date', 'date-time', 'uri']);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'array' | 'object';

const jsonType = (v: unknown): JsonType =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : (typeof v as JsonType);

/**
 * Strings matching a pattern. fast-check cannot generate from lookaheads (the flow's variable names refuse
 * `__proto__` with one): those are generated without the lookahead and filtered by the whole pattern.
 */
function matching(pattern: string): fc.Arbitrary<string> {
  const whole = new RegExp(pattern);
  try {
    return fc.stringMatching(whole);
  } catch {
    return fc.stringMatching(new RegExp(pattern.replace(/\(\?[!=][^)]*\)/g, ''))).filter((v) => whole.test(v));
  }
}

/** The JSON types a schema accepts, or null when it accepts anything (or we cannot tell). */
export function allowedTypes(s: JsonSchema): Set<JsonType> | null {
  const alts = s.anyOf ?? s.oneOf;
  if (alts) {
    const out = new Set<JsonType>();
    for (const alt of alts) {
      const t = allowedTypes(alt);
      if (!t) return null;
      t.forEach((x) => out.add(x));
    }
    return out;
  }
  if (s.allOf?.length) return allowedTypes(s.allOf[0]);
  if (s.type) return new Set((Array.isArray(s.type) ? s.type : [s.type]) as JsonType[]);
  if (s.enum) return new Set(s.enum.map(jsonType));
  if (s.const !== undefined) return new Set([jsonType(s.const)]);
  if (s.properties) return new Set(['object']);
  if (s.items) return new Set(['array']);
  return null;
}

const accepts = (allowed: Set<JsonType>, t: JsonType) =>
  allowed.has(t) || (t === 'integer' && allowed.has('number'));

const first = (s: JsonSchema): JsonSchema => {
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return first(alts.find((a) => a.type !== 'null') ?? alts[0]);
  if (s.allOf?.length) return { ...s.allOf[0], ...s, allOf: undefined };
  return s;
};
const primaryType = (s: JsonSchema): JsonType | undefined => {
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  return (t as JsonType | undefined) ?? (s.properties ? 'object' : s.items ? 'array' : s.enum ? jsonType(s.enum[0]) : undefined);
};

function numberBounds(s: JsonSchema) {
  const integer = primaryType(s) === 'integer';
  let min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 0.5) : undefined);
  let max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 0.5) : undefined);
  min ??= max !== undefined ? Math.min(0, max) : 0;
  max ??= min + 1000;
  return { integer, min, max };
}

/** Is `n` outside what the (numeric) schema accepts? */
export function numberViolates(s: JsonSchema, n: number): boolean {
  const integer = primaryType(s) === 'integer';
  if (!Number.isFinite(n)) return true;
  if (integer && !Number.isSafeInteger(n)) return true;
  if (s.minimum !== undefined && n < s.minimum) return true;
  if (s.maximum !== undefined && n > s.maximum) return true;
  if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum) return true;
  if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum) return true;
  return false;
}

/** Does the string break the schema's own string rules (enum, format, pattern, length)? */
export function stringViolates(s: JsonSchema, v: string): boolean {
  if (s.enum && !s.enum.includes(v)) return true;
  if (s.const !== undefined && s.const !== v) return true;
  if (s.format === 'uuid' && !UUID_RE.test(v)) return true;
  if (s.format === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) return true;
  if (s.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) return true;
  if (s.format === 'date-time' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return true;
  if (s.format === 'uri' && !/^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i.test(v)) return true;
  if (s.pattern && !new RegExp(s.pattern).test(v)) return true;
  // JSON Schema (and zod) count code points, not UTF-16 units: "👩" is one character, `.length` 2.
  const length = [...v].length;
  if (s.maxLength !== undefined && [...v.trim()].length > s.maxLength && length > s.maxLength) return true;
  if (s.minLength !== undefined && length < s.minLength) return true;
  return false;
}

/** A value the schema accepts (best effort: only required properties, simple formats, short strings). */
export function validValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const s = first(schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  switch (primaryType(s)) {
    case 'string': {
      if (s.format === 'uuid') return fc.uuid({ version: 4 });
      if (s.format === 'email') return fc.stringMatching(/^[a-z]{1,12}@[a-z]{1,12}\.example$/);
      if (s.format === 'uri') return fc.constant('https://example.invalid/hook');
      if (s.format === 'date-time') return fc.constant(new Date(0).toISOString());
      if (s.format === 'date') return fc.constant('2026-01-01');
      if (s.pattern) return matching(s.pattern).filter((v) => !stringViolates(s, v));
      const minLength = Math.max(1, s.minLength ?? 1);
      return fc.string({ unit: alnum, minLength, maxLength: Math.max(minLength, Math.min(s.maxLength ?? 16, 16)) });
    }
    case 'integer':
    case 'number': {
      const { min, max } = numberBounds(s);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(min, max)) });
    }
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array':
      if (!s.minItems || !s.items || depth > 6) return fc.constant([]);
      return fc.array(validValue(s.items, depth + 1), { minLength: s.minItems, maxLength: s.minItems });
    case 'object': {
      const required = (s.required ?? []).filter((k) => s.properties?.[k]);
      if (depth > 6 || required.length === 0) return fc.constant({});
      return fc.record(Object.fromEntries(required.map((k) => [k, validValue(s.properties![k], depth + 1)])));
    }
    default: return fc.constant('x');
  }
}

/** Values of JSON types the schema does not accept. */
function wrongType(s: JsonSchema): fc.Arbitrary<Bad> | null {
  const allowed = allowedTypes(s);
  if (!allowed) return null;
  const families: Array<[JsonType, fc.Arbitrary<unknown>]> = [
    ['string', hostileString],
    ['integer', fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER))],
    ['number', fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true })],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.array(fc.oneof(hostileString, fc.integer(), fc.constant(null)), { maxLength: 3 })],
    ['object', fc.dictionary(fc.constantFrom('a', '$gt', 'toString', '__proto__'), hostileString, { maxKeys: 2 }).map(withOwnKeys)],
  ];
  const usable = families.filter(([t]) => !accepts(allowed, t));
  if (!usable.length) return null;
  return fc.oneof(...usable.map(([t, arb]) => arb.map((value) => ({ value, why: `wrong type ${t}` }))));
}

/** fc.dictionary builds with assignment semantics; rebuild so `__proto__` is an own, serialisable key. */
function withOwnKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

const oversized = (min: number, max: number) => fc.tuple(fc.integer({ min, max }), fc.constantFrom('a', 'é', '😀', '<', "'", '\u202E'))
  .map(([n, ch]) => ch.repeat(n));

/** Values the schema must refuse, or null when no such value can be built (e.g. schema `{}`). */
export function invalidValue(schema: JsonSchema, depth = 0): fc.Arbitrary<Bad> | null {
  const s = first(schema);
  const options: Array<fc.Arbitrary<Bad>> = [];
  const wt = wrongType(schema);
  if (wt) options.push(wt);
  const t = primaryType(s);
  const nullable = allowedTypes(schema)?.has('null');
  if (t === 'string' && !nullable) {
    if (s.maxLength !== undefined) options.push(oversized(s.maxLength + 1, Math.max(s.maxLength + 1, Math.min(s.maxLength * 4, 60_000))).map((value) => ({ value, why: `longer than ${s.maxLength}` })));
    if (s.minLength) options.push(fc.constant({ value: '', why: 'empty string' }));
    if (s.enum || CHECKED_FORMATS.has(s.format ?? '') || s.pattern || s.const !== undefined) {
      options.push(hostileString.filter((v) => stringViolates(s, v)).map((value) => ({ value, why: `not a valid ${s.format ?? (s.enum ? 'enum value' : 'pattern match')}` })));
    }
    if (s.format === 'uuid') options.push(fc.uuid().chain((u) => fc.constantFrom(`${u}0`, u.slice(1), `{${u}}`, u.replace(/-/g, ''), ` ${u}`)).map((value) => ({ value, why: 'malformed uuid' })));
    options.push(validValue(s).map((v) => String(v)).chain((v) => unstorableString.map((u) => ({ value: `${v}${u}`, why: 'NUL or lone surrogate' }))));
  }
  if ((t === 'integer' || t === 'number') && !nullable) {
    const { integer } = numberBounds(s);
    const lo = s.minimum ?? s.exclusiveMinimum;
    const hi = s.maximum ?? s.exclusiveMaximum;
    if (hi !== undefined) options.push(fc.oneof(fc.integer({ min: Math.floor(hi) + 1, max: Math.floor(hi) + 1_000_000 }), fc.constant(1e300)).map((value) => ({ value, why: `above ${hi}` })));
    if (lo !== undefined) options.push(fc.oneof(fc.integer({ min: Math.ceil(lo) - 1_000_000, max: Math.ceil(lo) - 1 }), fc.constant(-1e300), ...(s.exclusiveMinimum !== undefined ? [fc.constant(s.exclusiveMinimum)] : [])).map((value) => ({ value, why: `below ${lo}` })));
    if (integer) options.push(fc.oneof(fc.constantFrom(0.5, 1.000001, 2 ** 60), fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true })).map((value) => ({ value, why: 'not a safe integer' })));
  }
  if (t === 'array' && !nullable) {
    if (s.maxItems !== undefined && s.items) options.push(fc.array(validValue(s.items, depth + 1), { minLength: s.maxItems + 1, maxLength: s.maxItems + 3 }).map((value) => ({ value, why: `more than ${s.maxItems} items` })));
    if (s.minItems) options.push(fc.constant({ value: [], why: 'empty array' }));
    const bad = s.items && depth < 6 ? invalidValue(s.items, depth + 1) : null;
    if (bad) options.push(bad.map((b) => ({ value: [b.value], why: `item: ${b.why}` })));
  }
  if (t === 'object' && !nullable && depth < 6) {
    const props = s.properties ?? {};
    const required = (s.required ?? []).filter((k) => props[k]);
    const base = validValue(s, depth) as fc.Arbitrary<Record<string, unknown>>;
    if (required.length) {
      options.push(fc.tuple(base, fc.constantFrom(...required)).map(([o, k]) => {
        const copy = { ...o };
        delete copy[k];
        return { value: copy, why: `missing ${k}` };
      }));
    }
    if (s.additionalProperties === false) {
      const extraKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', 'role', '$where'), hostileString.filter((k) => k.length > 0))
        .filter((k) => !(k in props));
      options.push(fc.tuple(base, extraKey, fc.oneof(hostileString, fc.constant({ isAdmin: true }), fc.integer())).map(([o, k, v]) => {
        const copy = withOwnKeys(o);
        Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
        return { value: copy, why: `unexpected key ${JSON.stringify(k)}` };
      }));
    }
    const mutable = Object.entries(props).map(([k, p]) => [k, invalidValue(p, depth + 1)] as const)
        .filter((e): e is readonly [string, fc.Arbitrary<Bad>] => e[1] !== null);
    if (mutable.length) {
      options.push(fc.tuple(base, fc.oneof(...mutable.map(([k, arb]) => arb.map((b) => [k, b] as const)))).map(([o, [k, b]]) => {
        const copy = withOwnKeys(o);
        copy[k] = b.value;
        return { value: copy, why: `${k}: ${b.why}` };
      }));
    }
  }
  return options.length ? fc.oneof(...options) : null;
}

/** Bad values for a path or query parameter as they travel: strings (or repeated params). */
export function invalidWire(schema: JsonSchema): fc.Arbitrary<Bad<string | string[]>> | null {
  const s = first(schema);
  const t = primaryType(s);
  const options: Array<fc.Arbitrary<Bad<string | string[]>>> = [];
  if (t === 'integer' || t === 'number') {
    options.push(fc.oneof(hostileString, fc.constantFrom('1.5', '1e400', '-1', '0x10', '9'.repeat(400), '2e1', '1,2', 'Infinity'), fc.integer({ min: -1e9, max: 1e9 }).map(String))
      .filter((v) => numberViolates(s, Number(v))).map((value) => ({ value, why: 'not an acceptable number' })));
    options.push(fc.constant({ value: ['1', '2'], why: 'repeated parameter' }));
  }
  if (t === 'string' && (s.enum || s.format || s.pattern || s.maxLength !== undefined || s.minLength)) {
    // Only rules stringViolates checks: a filter nothing can pass (a format it does not know) would never end.
    const checkable = s.enum || s.pattern || s.const !== undefined || s.minLength || CHECKED_FORMATS.has(s.format ?? '');
    if (checkable) options.push(hostileString.filter((v) => stringViolates(s, v)).map((value) => ({ value, why: 'breaks the string rules' })));
    if (checkable || s.maxLength !== undefined) {
      options.push(oversized(Math.max(65, (s.maxLength ?? 64) + 1), 6000).filter((v) => stringViolates(s, v)).map((value) => ({ value, why: 'huge' })));
    }
    const allowsArray = (schema.anyOf ?? schema.oneOf ?? []).some((a) => a.type === 'array');
    if (!allowsArray) options.push(validValue(s).map((v) => ({ value: [String(v), String(v)], why: 'repeated parameter' })));
  }
  return options.length ? fc.oneof(...options) : null;
}

/**
 * An otherwise valid value with NUL or a lone surrogate in one of its free-text strings, optional
 * properties included (those are where unvalidated text reaches the database).
 */
export function unstorableValue(schema: JsonSchema, depth = 0): fc.Arbitrary<Bad> | null {
  const s = first(schema);
  const t = primaryType(s);
  if (t === 'string' && !s.enum && s.const === undefined) {
    return validValue(s).chain((v) => unstorableString.map((u) => ({ value: `${String(v).slice(0, Math.max(0, (s.maxLength ?? 50) - 4))}${u}`.trim() || u, why: 'NUL or lone surrogate' })));
  }
  if (t === 'array' && s.items && depth < 6) {
    const inner = unstorableValue(s.items, depth + 1);
    return inner ? inner.map((b) => ({ value: [b.value], why: `item: ${b.why}` })) : null;
  }
  if (t !== 'object' || depth >= 6) return null;
  const props = Object.entries(s.properties ?? {})
    .map(([k, p]) => [k, unstorableValue(p, depth + 1)] as const)
    .filter((e): e is readonly [string, fc.Arbitrary<Bad>] => e[1] !== null);
  if (!props.length) return null;
  const base = validValue(s, depth) as fc.Arbitrary<Record<string, unknown>>;
  return fc.tuple(base, fc.oneof(...props.map(([k, arb]) => arb.map((b) => [k, b] as const)))).map(([o, [k, b]]) => ({ value: { ...o, [k]: b.value }, why: `${k}: ${b.why}` }));
}
