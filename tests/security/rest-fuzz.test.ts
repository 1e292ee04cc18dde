/**
 * Issue 5: generated bad input against every REST operation in the running API's OpenAPI document.
 * New routes are picked up automatically. Seeded: FUZZ_SEED and FUZZ_RUNS (per operation × role) override.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_FRAGMENTS, hostileString } from './lib/arbitraries.js';
import { diff, settled, snapshot } from './lib/db-snapshot.js';
import { describeResponse, isErrorBody, send, type RawResponse } from './lib/http.js';
import { loadOperations, type Operation } from './lib/openapi.js';
import { conversationHeldBy, staff } from './lib/principals.js';
import { badRequests, roleAllowed, type BadCase, type Role } from './lib/requests.js';
import type { StaffClient, VisitorClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_05);
const RUNS = Number(process.env.FUZZ_RUNS ?? 24);

/** What no response may contain: stack traces, driver errors, SQL. */
const LEAK = /node_modules|\n\s+at |syntax error at or near|violates .* constraint|duplicate key|invalid input syntax|ZodError|PostgresError|TypeError|ReferenceError/;

/** Long generated values would drown the report: keep the start of every string. */
const shorten = (v: unknown): string => {
  const text = v instanceof Error ? v.message : JSON.stringify(v, (_k, x) => (typeof x === 'string' && x.length > 80 ? `${x.slice(0, 80)}…(${x.length} chars)` : x)) ?? String(v);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
};

/**
 * A refusal is a 4xx JSON error without internals. Reads of a well-formed but unknown id may also
 * answer 2xx (e.g. an empty history); writes never.
 */
function checkRefusal(res: RawResponse, c: BadCase): string | null {
  if (c.kind === 'nonexistent id' && c.req.method === 'get' && res.status >= 200 && res.status < 300) return null;
  if (res.status < 400 || res.status > 499) return `expected 4xx, got ${describeResponse(res)}`;
  if (!isErrorBody(res)) return `expected a JSON { error: { code, message } }, got ${describeResponse(res)}`;
  if (LEAK.test(res.text)) return `response leaks internals: ${res.text.slice(0, 300)}`;
  return null;
}

describe('REST fuzzing: every operation of /api/openapi.json refuses bad input cleanly', () => {
  let stack: Stack;
  let ops: Operation[];
  let visitor: VisitorClient;
  let team: { alice: StaffClient; bob: StaffClient; admin: StaffClient };
  const principals: Array<{ role: Role; token?: string }> = [];

  beforeAll(async () => {
    stack = await startStack();
    ops = await loadOperations(stack.baseUrl);
    team = await staff(stack.baseUrl);
    // Served by alice: visitor text is plain chat then (no bot flow reacting), so the hostile-text test is stable.
    visitor = await conversationHeldBy(stack.baseUrl, team.alice, 'Fuzz Visitor');
    principals.push({ role: 'anonymous' }, { role: 'visitor', token: visitor.token }, { role: 'agent', token: team.alice.token }, { role: 'admin', token: team.admin.token });
  });
  afterAll(async () => {
    visitor?.close();
    for (const c of Object.values(team ?? {})) c.close();
    await stack?.stop();
  });

  it('reads every operation and its declared access from the OpenAPI document', () => {
    expect(ops.length).toBeGreaterThan(5);
    expect(ops.map((o) => o.id)).toEqual(expect.arrayContaining(['POST /api/visitor/session', 'POST /api/conversations/{id}/messages']));
    for (const op of ops) expect(['public', 'visitor', 'staff', 'admin', 'visitor-or-staff'], op.id).toContain(op.access);
  });

  it('answers generated bad requests with 4xx JSON errors, stays up and writes nothing', async () => {
    const failures: string[] = [];
    let tried = 0;
    const perKind = new Map<string, number>();
    const started = Date.now();
    await settled(stack.database.pool);
    for (const op of ops) {
      const before = await snapshot(stack.database.pool);
      for (const principal of principals) {
        const allowed = roleAllowed(op.access, principal.role);
        const result = await fc.check(fc.asyncProperty(badRequests(op), async (c) => {
          tried++;
          perKind.set(c.kind, (perKind.get(c.kind) ?? 0) + 1);
          const res = await send(stack.baseUrl, { ...c.req, token: principal.token });
          const problem = checkRefusal(res, c);
          if (problem) throw new Error(`${c.kind} (${c.why}): ${problem}`);
        }), { seed: SEED, numRuns: allowed ? RUNS : Math.ceil(RUNS / 4), endOnFailure: true });
        if (result.failed) failures.push(`${op.id} as ${principal.role}: ${shorten(result.errorInstance)} (seed ${SEED}, path ${result.counterexamplePath}; request ${shorten(result.counterexample?.[0]?.req)})`);
      }
      const changed = diff(before, await snapshot(stack.database.pool));
      if (changed) failures.push(`${op.id}: refused requests changed the database: ${changed}`);
      const health = await send(stack.baseUrl, { method: 'GET', path: '/api/health' });
      if (health.status !== 200) failures.push(`after ${op.id}: health ${describeResponse(health)}`);
    }
    console.log(`[rest-fuzz] ${tried} bad requests over ${ops.length} operations × ${principals.length} roles in ${Date.now() - started} ms (seed ${SEED}); by kind: ${[...perKind].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect(failures).toEqual([]);
  }, 240_000); // ~15 s on an idle 2-core machine; generous for a loaded CI box

  it('stores and returns hostile but valid text verbatim, as JSON text', async () => {
    const texts = [
      '<script>alert("x")</script>',
      '<img src=x onerror=alert(1)> & &amp; &lt;b&gt;',
      ...HOSTILE_FRAGMENTS.filter((f) => f.trim() === f && f.length > 0),
      // eslint-disable-next-line no-control-regex -- NUL is refused separately
      ...fc.sample(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((s) => s.trim()).filter((s) => s.length > 0 && !/\u0000/.test(s)), { seed: SEED, numRuns: 20 }),
    ];
    const path = `/api/conversations/${visitor.conversation.id}/messages`;
    for (const text of texts) {
      const res = await send(stack.baseUrl, { method: 'POST', path, token: visitor.token, json: { clientId: crypto.randomUUID(), text } });
      expect(res.status, describeResponse(res)).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.message.body).toEqual({ kind: 'text', text });
    }
    const history = await send(stack.baseUrl, { method: 'GET', path, token: visitor.token });
    expect(history.headers['content-type']).toMatch(/^application\/json/);
    const stored = (history.body.messages as Array<{ sender: string; body: { text?: string } }>).filter((m) => m.sender === 'visitor').map((m) => m.body.text);
    expect(stored).toEqual(expect.arrayContaining(texts));
    // raw JSON on the wire, not markup: `<` travels as-is inside a JSON string, nothing is entity-encoded
    expect(history.text).toContain('"<script>alert(\\"x\\")</script>"');
    expect(history.headers['x-content-type-options']).toBe('nosniff'); // browsers never sniff it into HTML
    // and live delivery to the agent carries the same characters
    await team.alice.waitFor('message', (m: { body: { text?: string } }) => m.body.text === '<script>alert("x")</script>');
    const { rows } = await stack.database.pool.query<{ text: string }>(`select body->>'text' as text from messages where client_id is not null and body->>'text' like '<script>%'`);
    expect(rows.map((r) => r.text)).toContain('<script>alert("x")</script>');
    console.log(`[rest-fuzz] ${texts.length} hostile-but-valid messages stored verbatim`);
  });

  it('accepts or cleanly refuses generated files, stores only what it accepted, and serves nothing as a page', async () => {
    const magic = ['\x89PNG\r\n\x1a\n', '%PDF-1.4\n', 'GIF89a', 'MZ', '<svg xmlns="http://www.w3.org/2000/svg">', '<html><script>', 'PK\x03\x04', ''];
    const files = fc.record({
      bytes: fc.tuple(fc.constantFrom(...magic), fc.uint8Array({ maxLength: 1024 })).map(([m, tail]) => Buffer.concat([Buffer.from(m, 'latin1'), tail])),
      name: fc.string({ unit: 'grapheme', minLength: 0, maxLength: 80 }),
      contentType: fc.constantFrom('image/png', 'text/html', 'image/svg+xml', 'application/octet-stream', 'application/pdf'),
    });
    const count = async () => Number((await stack.database.pool.query('select count(*) as n from files')).rows[0].n);
    const start = await count();
    let accepted = 0;
    await fc.assert(fc.asyncProperty(files, async (f) => {
      const res = await send(stack.baseUrl, {
        method: 'POST', token: visitor.token, raw: f.bytes, headers: { 'content-type': f.contentType },
        path: `/api/conversations/${visitor.conversation.id}/files?clientId=${crypto.randomUUID()}&name=${encodeURIComponent(f.name)}`,
      });
      if (res.status === 201) {
        accepted++;
        const body = res.body.message.body as { mime: string; fileId: string };
        expect(body.mime).not.toMatch(/html|svg|xml/);
        const links = await send(stack.baseUrl, { method: 'GET', token: visitor.token, path: `/api/conversations/${visitor.conversation.id}/files/${body.fileId}/links` });
        const file = await send(stack.baseUrl, { method: 'GET', path: links.body.url });
        expect(file.headers['x-content-type-options']).toBe('nosniff');
        expect(file.headers['content-security-policy']).toContain('sandbox');
        expect(file.headers['content-type']).toBe(body.mime);
        return;
      }
      expect(res.status, describeResponse(res)).toBeGreaterThanOrEqual(400);
      expect(res.status, describeResponse(res)).toBeLessThan(500);
      expect(isErrorBody(res), describeResponse(res)).toBe(true);
      expect(res.text).not.toMatch(LEAK);
    }), { seed: SEED, numRuns: RUNS * 2 });
    expect(await count()).toBe(start + accepted);
    console.log(`[rest-fuzz] ${RUNS * 2} generated files: ${accepted} accepted, the rest refused cleanly`);
  });

  it('refuses generated bad CSV files for the canned-response import (400 invalid_csv, each problem by line) and writes nothing', async () => {
    // Valid rows around at least one bad one: a bad shortcut, an empty title, a text too long, a broken quote or a short row.
    const cell = hostileString.map((s) => `"${s.replace(/"/g, '""')}"`);
    const good = fc.tuple(fc.stringMatching(/^[a-z0-9_-]{1,32}$/), cell, cell).filter(([, t, x]) => t.length > 2 && x.length > 2)
      .map(([sc, t, x]) => `${sc},${t},${x}`);
    const bad = fc.oneof(
      fc.tuple(hostileString.filter((s) => !/^[A-Za-z0-9_-]{1,32}$/.test(s.trim())), cell).map(([sc, t]) => `"${sc.replace(/"/g, '""')}",${t},text`),
      fc.stringMatching(/^[a-z]{1,8}$/).map((sc) => `${sc}x,"  ",text`),
      fc.stringMatching(/^[a-z]{1,8}$/).map((sc) => `${sc}y,title,${'x'.repeat(2001)}`),
      fc.constant('oops,"never closed,text'),
      fc.constant('short,row'),
    );
    const files = fc.tuple(fc.array(good, { maxLength: 5 }), bad, fc.array(good, { maxLength: 5 }))
      .map(([before, b, after]) => ['shortcut,title,text', ...before, b, ...after].join('\n'));
    await settled(stack.database.pool);
    const before = await snapshot(stack.database.pool);
    let tried = 0;
    await fc.assert(fc.asyncProperty(files, async (csv) => {
      tried++;
      const res = await send(stack.baseUrl, { method: 'POST', path: '/api/canned-responses/import?scope=org', token: team.admin.token, raw: csv, headers: { 'content-type': 'text/csv' } });
      expect(res.status, describeResponse(res)).toBe(400);
      // A NUL or lone surrogate in the text fails the whole body first (bad_request), anything else row by row.
      expect(['invalid_csv', 'bad_request']).toContain(res.body.error.code);
      if (res.body.error.code === 'invalid_csv') expect(res.body.problems.length).toBeGreaterThan(0);
      expect(LEAK.test(res.text)).toBe(false);
    }), { seed: SEED, numRuns: RUNS * 2 });
    expect(diff(before, await snapshot(stack.database.pool))).toBe('');
    console.log(`[rest-fuzz] ${tried} bad CSV imports refused, nothing imported`);
  });

  it('never lets a request body pollute Object.prototype (the API runs in this process)', async () => {
    await send(stack.baseUrl, { method: 'POST', path: '/api/visitor/session', raw: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}' });
    await send(stack.baseUrl, { method: 'POST', path: '/api/auth/login', raw: '{"email":"a@b.co","password":"x","__proto__":{"polluted":true}}' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await send(stack.baseUrl, { method: 'GET', path: '/api/health' })).status).toBe(200);
  });
});
