import fc from 'fast-check';
import { hostileString, invalidValue, invalidWire, unstorableValue, validValue, type Bad } from './arbitraries.js';
import { encodeSegment, type RawRequest } from './http.js';
import { fillPath, type Access, type Operation, type Param } from './openapi.js';
import { jsonBodyLimit } from '../../../api/http/body-limits.js';

export type PrincipalName = 'anonymous' | 'visitor' | 'otherVisitor' | 'alice' | 'bob' | 'admin';
export type Role = 'anonymous' | 'visitor' | 'agent' | 'admin';

export const roleOf = (p: PrincipalName): Role =>
  p === 'anonymous' ? 'anonymous' : p === 'visitor' || p === 'otherVisitor' ? 'visitor' : p === 'admin' ? 'admin' : 'agent';

/** Whether `route()`'s access check lets the role through (what `x-parley-access` declares). */
export function roleAllowed(access: Access, role: Role): boolean {
  switch (access) {
    case 'public': return true;
    case 'visitor': return role === 'visitor';
    case 'staff': return role === 'agent' || role === 'admin';
    case 'admin': return role === 'admin';
    case 'visitor-or-staff': return role !== 'anonymous';
  }
}

/** A generated request that the API must refuse, with why it is bad. */
export type BadKind = 'malformed JSON' | 'oversized body' | 'body encoding' | 'invalid body' | 'unstorable text' | 'invalid path param' | 'nonexistent id' | 'invalid query param';
export interface BadCase { kind: BadKind; req: Omit<RawRequest, 'token'>; why: string }

const queryString = (entries: Array<[string, string | string[]]>) => {
  const parts = entries.flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeSegment(x)}`));
  return parts.length ? `?${parts.join('&')}` : '';
};

/** Valid (and almost certainly nonexistent) values for every path parameter, already encoded. */
const validPath = (params: Param[]): fc.Arbitrary<Record<string, string>> =>
  fc.record(Object.fromEntries(params.map((p) => [p.name, validValue(p.schema).map((v) => encodeSegment(String(v)))])));

const validQuery = (params: Param[]): fc.Arbitrary<Array<[string, string]>> =>
  fc.tuple(...params.filter((p) => p.required).map((p) => validValue(p.schema).map((v) => [p.name, String(v)] as [string, string])));

/** Text that is not JSON: truncated documents, JS-isms, unclosed nesting, random text. */
const malformedJson = (validBody: fc.Arbitrary<unknown>): fc.Arbitrary<string> => fc.oneof(
  fc.constantFrom('{', '{"a":', '{"a":1,}', "{'a':1}", '{a:1}', '[1,2', 'undefined', 'NaN', '{"a":NaN}', '{"a":Infinity}', '{"a":1}{"b":2}',
    '\u0000', '"str"', '123', 'true', 'null', '{"a":"\\x41"}', '{"a":01}', '{"__proto__":', '['.repeat(30_000), `{"a":${'['.repeat(10_000)}`),
  validBody.map((b) => JSON.stringify(b ?? { a: 1 })).chain((s) => fc.integer({ min: 1, max: Math.max(1, s.length - 1) }).map((n) => s.slice(0, n))),
  fc.string({ unit: 'binary', maxLength: 60 }),
).filter((s) => { // '' is an empty body, which body-parser reads as {}
  if (s.length === 0) return false;
  try { JSON.parse(s); return false; } catch { return true; }
});

/**
 * Every way to get one request of `op` wrong while the rest stays valid, so the generated request is
 * refused for the reason it names: body, path or query parameters, the raw body, its size or encoding.
 */
export function badRequests(op: Operation): fc.Arbitrary<BadCase> {
  const body = op.body ? validValue(op.body) : fc.constant(undefined);
  const path = validPath(op.pathParams);
  const query = validQuery(op.query);
  const req = (p: Record<string, string>, q: Array<[string, string | string[]]>, rest: Partial<RawRequest>): BadCase['req'] =>
    ({ method: op.method, path: fillPath(op.path, p) + queryString(q), ...rest });
  const limit = jsonBodyLimit(op.path);
  // Weighted towards the operation's own inputs; the body-level kinds are the same for every route.
  const kinds: Array<fc.WeightedArbitrary<BadCase>> = [
    { weight: 2, arbitrary: fc.tuple(path, query, malformedJson(body)).map(([p, q, raw]) => ({ kind: 'malformed JSON', req: req(p, q, { raw }), why: 'malformed JSON' })) },
    { weight: 1, arbitrary: fc.tuple(path, query, fc.integer({ min: limit + 1, max: limit * 1.5 }), hostileString).map(([p, q, n, s]) => ({
      kind: 'oversized body', req: req(p, q, { raw: JSON.stringify({ text: `${s}${'x'.repeat(n)}` }) }), why: `body of ${n} bytes`,
    })) },
    { weight: 1, arbitrary: fc.tuple(path, query, fc.constantFrom<Record<string, string>>(
      { 'content-type': 'application/json; charset=latin1' }, { 'content-type': 'application/json; charset=ibm-1047' },
      { 'content-encoding': 'gzip' }, { 'content-encoding': 'br;q=x' }, { 'content-encoding': 'rot13' },
    )).map(([p, q, headers]) => ({ kind: 'body encoding', req: req(p, q, { raw: '{"a":1}', headers }), why: `body with ${JSON.stringify(headers)}` })) },
  ];
  const badBody = op.body ? invalidValue(op.body) : null;
  if (badBody) kinds.push({ weight: 5, arbitrary: fc.tuple(path, query, badBody).map(([p, q, b]) => ({ kind: 'invalid body', req: req(p, q, { json: b.value }), why: `body ${b.why}` })) });
  const unstorable = op.body ? unstorableValue(op.body) : null;
  if (unstorable) kinds.push({ weight: 2, arbitrary: fc.tuple(path, query, unstorable).map(([p, q, b]) => ({ kind: 'unstorable text', req: req(p, q, { json: b.value }), why: `body ${b.why}` })) });
  for (const param of op.pathParams) {
    const bad = invalidWire(param.schema);
    if (!bad) continue;
    const single = bad.filter((v): v is Bad<string> => !Array.isArray(v.value)); // a path segment cannot repeat
    kinds.push({ weight: 3, arbitrary: fc.tuple(path, query, body, single).map(([p, q, b, v]) => ({
      kind: 'invalid path param', req: req({ ...p, [param.name]: encodeSegment(v.value) }, q, { json: b }),
      why: `path ${param.name} ${v.why}`,
    })) });
  }
  if (op.pathParams.length) {
    // Well-formed ids of nothing: the handler must answer 4xx without writing anything.
    kinds.push({ weight: 1, arbitrary: fc.tuple(path, query, body).map(([p, q, b]) => ({ kind: 'nonexistent id', req: req(p, q, { json: b }), why: 'well-formed id of nothing' })) });
  }
  for (const param of op.query) {
    const bad = invalidWire(param.schema);
    if (!bad) continue;
    kinds.push({ weight: 3, arbitrary: fc.tuple(path, query, body, bad).map(([p, q, b, v]) => ({
      kind: 'invalid query param', req: req(p, [...q.filter(([k]) => k !== param.name), [param.name, v.value]], { json: b }),
      why: `query ${param.name} ${v.why}`,
    })) });
  }
  return fc.oneof(...kinds);
}
