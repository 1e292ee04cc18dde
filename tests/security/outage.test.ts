/**
 * Issue 16 items 9 and 10: while PostgreSQL or Temporal is down, REST answers 503 with Retry-After
 * (never 500), sockets get an `unavailable` ack or connect_error, failed attempts leave the visitor's
 * rate budget alone, the log says it once per outage, a conversation start with Temporal down fails
 * within seconds, and nothing about the database (SQL, table names) ever reaches a client.
 *
 * This file runs its own PostgreSQL and Temporal dev server (not the run's shared ones) so it can stop
 * and restart them; the worker and API are the usual in-process test stack on top.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createApiServer, type ApiServer } from '../../api/server.js';
import { freePort } from '../../scripts/lib/ports.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../scripts/lib/postgres.js';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli.js';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/lib/temporal-server.js';
import { emitAck, http, staffClient, visitorClient, type VisitorClient } from '../helpers/clients.js';
import { SECRET, startStack, type Stack } from '../helpers/stack.js';
import { describeResponse, send, type RawResponse } from './lib/http.js';
import { rawConnect } from './lib/socket.js';

const LIMITS = { conversationsPerMinute: 3, messagesPer10s: 3 };
/** What a database error would show: SQL keywords, table names, pg's own texts. */
const DATABASE_TEXT = /select|insert|from\s|where\s|failed query|relation|conversations_gone|ECONNREFUSED|terminat/i;

function expectUnavailable(res: RawResponse) {
  expect(res.status, describeResponse(res)).toBe(503);
  expect(res.body?.error?.code, describeResponse(res)).toBe('unavailable');
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.text).not.toMatch(DATABASE_TEXT);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await sleep(250);
  }
}

describe('outages of PostgreSQL and Temporal', () => {
  let dir: string;
  let pgPort: number;
  let temporalPort: number;
  let cliPath: string;
  let postgres: EmbeddedPostgresHandle | null = null;
  let temporal: TemporalDevServer | null = null;
  let stack: Stack;
  let visitor: VisitorClient;
  /** Left at its menu (talking to the bot) for the Temporal outage. */
  let atMenu: VisitorClient;
  const warnings: string[] = [];
  const errors: string[] = [];

  const startPostgres = async () => { postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: pgPort, database: 'postgres', durable: false }); };
  const startTemporal = async () => {
    temporal = await startTemporalDevServer({ cliPath, port: temporalPort, dbFile: path.join(dir, 'temporal.sqlite'), logFile: path.join(dir, 'temporal.log') });
  };
  const ready = () => send(stack.baseUrl, { method: 'GET', path: '/api/ready' });
  /** After each test both stores run again, whatever the test's outcome (so one failure does not cascade). */
  afterEach(async () => {
    if (!postgres) await startPostgres();
    if (!temporal) await startTemporal();
  });
  // From addresses of their own: the IP budgets of 127.0.0.1 are partly spent by the set-up.
  const session = (ip = '127.0.0.50') => send(stack.baseUrl, { method: 'POST', path: '/api/visitor/session', json: { displayName: 'Outage' }, localAddress: ip });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-outage-'));
    fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach its data dir
    [pgPort, temporalPort, cliPath] = await Promise.all([freePort(), freePort(), ensureTemporalCli()]);
    await Promise.all([startPostgres(), startTemporal()]);
    stack = await startStack({
      infra: { temporalAddress: temporal!.address, databaseUrl: postgres!.url, workflowBundlePath: inject('workflowBundlePath') },
      rateLimits: LIMITS,
    });
    visitor = await visitorClient(stack.baseUrl, 'Before the outage');
    atMenu = await visitorClient(stack.baseUrl, 'At the menu');
    await Promise.all([visitor.waitForBody('menu'), atMenu.waitForBody('menu')]);
    await until('health', 60_000, async () => (await send(stack.baseUrl, { method: 'GET', path: '/api/health' })).status === 200);
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => { warnings.push(args.map(String).join(' ')); });
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { errors.push(args.map((a) => (a instanceof Error ? a.stack ?? a.message : String(a))).join(' ')); });
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    visitor?.close();
    atMenu?.close();
    await stack?.stop();
    await postgres?.stop().catch(() => undefined);
    await temporal?.stop().catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('PostgreSQL down: 503 + Retry-After, `unavailable` acks and handshakes, budget kept, logged once, then recovery', async () => {
    warnings.length = 0;
    errors.length = 0;
    await postgres!.stop();
    postgres = null;

    // REST: reads, writes, logins, session starts. More attempts than the limits allow: none is 429.
    expectUnavailable(await send(stack.baseUrl, { method: 'GET', path: `/api/conversations/${visitor.conversation.id}/messages`, token: visitor.token }));
    expectUnavailable(await send(stack.baseUrl, { method: 'POST', path: '/api/auth/login', json: { email: 'admin@parley.local', password: 'whatever-password' } }));
    for (let i = 0; i < LIMITS.messagesPer10s + 3; i++) {
      expectUnavailable(await send(stack.baseUrl, { method: 'POST', path: `/api/conversations/${visitor.conversation.id}/messages`, token: visitor.token, json: { clientId: randomUUID(), text: `rest ${i}` } }));
    }
    for (let i = 0; i < LIMITS.conversationsPerMinute + 3; i++) expectUnavailable(await session());

    // Socket: the connected visitor's events are acked `unavailable`, never rate_limited.
    for (let i = 0; i < LIMITS.messagesPer10s + 3; i++) {
      const ack = await emitAck(visitor.socket, 'visitor:message', { clientId: randomUUID(), text: `socket ${i}` }, 10_000);
      expect(ack).toEqual({ ok: false, error: { code: 'unavailable', message: expect.any(String) } });
      expect(JSON.stringify(ack)).not.toMatch(DATABASE_TEXT);
    }

    // A new socket's handshake: `unavailable` in connect_error's data, and no SQL in its message (item 10).
    const { socket, error } = await rawConnect(stack.baseUrl, { token: visitor.token });
    socket.close();
    expect(error, 'handshake must fail while the database is down').toBeDefined();
    expect((error as Error & { data?: { code?: string } }).data?.code).toBe('unavailable');
    expect(error!.message).not.toMatch(DATABASE_TEXT);

    // Health and readiness say what is down.
    const health = await send(stack.baseUrl, { method: 'GET', path: '/api/health' });
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ temporal: 'ok', database: 'down' });
    await sleep(2_100); // past the readiness cache
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.body.missing).toContain('PostgreSQL is unreachable');

    // The log: one line for the whole outage, no stack traces, no "unexpected error".
    const outageLines = warnings.filter((w) => /PostgreSQL is unreachable/.test(w));
    expect(outageLines, warnings.join('\n')).toHaveLength(1);
    expect(errors.filter((e) => /unexpected error/.test(e)), errors.join('\n')).toEqual([]);

    await startPostgres();
    await until('health after PostgreSQL restart', 30_000, async () => (await send(stack.baseUrl, { method: 'GET', path: '/api/health' })).status === 200);
    await until('recovery logged', 10_000, async () => warnings.some((w) => /PostgreSQL is reachable again/.test(w)));

    // The budget is intact: the limits' worth of requests passes, the next one is refused.
    for (let i = 0; i < LIMITS.conversationsPerMinute; i++) expect((await session()).status).toBe(200);
    expect((await session()).status).toBe(429);
    for (let i = 0; i < LIMITS.messagesPer10s; i++) {
      const res = await send(stack.baseUrl, { method: 'POST', path: `/api/conversations/${visitor.conversation.id}/messages`, token: visitor.token, json: { clientId: randomUUID(), text: `after ${i}` } });
      expect(res.status, describeResponse(res)).toBe(201);
    }
    expect((await send(stack.baseUrl, { method: 'POST', path: `/api/conversations/${visitor.conversation.id}/messages`, token: visitor.token, json: { clientId: randomUUID(), text: 'one too many' } })).status).toBe(429);
  });

  it('Temporal down: a conversation start fails within seconds with 503, readiness names Temporal, then recovery', async () => {
    await sleep(10_000); // a fresh 10 s message window and minute for sessions after the test above
    warnings.length = 0;
    // A visitor session needs only PostgreSQL.
    const fresh = await session('127.0.0.60');
    expect(fresh.status).toBe(200);
    const startConversation = () => send(stack.baseUrl, { method: 'POST', path: '/api/visitor/conversations', token: fresh.body.token, json: {}, localAddress: '127.0.0.60' });
    await temporal!.stop();
    temporal = null;

    const t0 = Date.now();
    const start = await startConversation();
    const tookMs = Date.now() - t0;
    expectUnavailable(start);
    expect(tookMs, 'the start must fail fast, not after ~15 s of gRPC retries').toBeLessThan(5_500);

    // A message to the bot must reach the workflow before it is acknowledged: 503 too, quickly.
    const t1 = Date.now();
    const toBot = await send(stack.baseUrl, { method: 'POST', path: `/api/conversations/${atMenu.conversation.id}/messages`, token: atMenu.token, json: { clientId: randomUUID(), text: 'Hello?' } });
    expectUnavailable(toBot);
    expect(Date.now() - t1).toBeLessThan(5_500);
    // The same over the socket: an `unavailable` ack, as quickly.
    const t2 = Date.now();
    const ack = await emitAck(atMenu.socket, 'visitor:message', { clientId: randomUUID(), text: 'Anyone?' }, 10_000);
    expect(ack).toEqual({ ok: false, error: { code: 'unavailable', message: expect.any(String) } });
    expect(Date.now() - t2).toBeLessThan(5_500);

    const health = await send(stack.baseUrl, { method: 'GET', path: '/api/health' });
    expect(health.body).toEqual({ temporal: 'down', database: 'ok' });
    await sleep(2_100);
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.body.missing).toContain('Temporal is unreachable');
    expect(warnings.filter((w) => /Temporal is unreachable/.test(w)), warnings.join('\n')).toHaveLength(1);

    await startTemporal();
    await until('ready after Temporal restart (worker polling again)', 60_000, async () => (await ready()).status === 200);
    // The client's retry starts the conversation (the row stored by the failed attempt gets its workflow).
    let again: RawResponse | null = null;
    await until('conversation start after recovery', 30_000, async () => (again = await startConversation()).status === 200);
    const conversationId = (again as RawResponse | null)!.body.id as string;
    await until('the bot greets the visitor', 30_000, async () => {
      const history = await http<{ messages: Array<{ body: { kind: string } }> }>(stack.baseUrl, 'GET', `/api/conversations/${conversationId}/messages`, { token: fresh.body.token });
      return history.body.messages.some((m) => m.body.kind === 'menu');
    });
  });

  it('an API whose task queue no worker polls is not ready, and says so', async () => {
    const lonely: ApiServer = await createApiServer({
      database: stack.database, temporalAddress: temporal!.address, namespace: 'default', taskQueue: `nobody-polls-${randomUUID().slice(0, 8)}`,
      deskId: stack.deskId, temporalUiUrl: 'http://localhost:8233', secret: SECRET,
    });
    try {
      const port = await lonely.listen(0, '127.0.0.1');
      const res = await send(`http://127.0.0.1:${port}`, { method: 'GET', path: '/api/ready' });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ ready: false, database: 'ok', temporal: 'ok', worker: 'none' });
      expect(res.body.missing[0]).toMatch(/no worker is polling task queue "nobody-polls-/);
      expect((await ready()).body).toEqual({ ready: true, database: 'ok', temporal: 'ok', worker: 'ok', missing: [] });
    } finally {
      await lonely.close();
    }
  });

  it('an unexpected failure reaches the client as a generic text with an error id, never as SQL', async () => {
    errors.length = 0;
    const admin = await staffClient(stack.baseUrl, 'admin@parley.local');
    admin.close();
    // A real database failure that is not an outage: the table a staff handshake and the list read is gone.
    await stack.database.pool.query('alter table conversations rename to conversations_gone');
    try {
      const { socket, error } = await rawConnect(stack.baseUrl, { token: admin.token });
      socket.close();
      expect(error).toBeDefined();
      expect(error!.message).not.toMatch(DATABASE_TEXT);
      const data = (error as Error & { data?: { code?: string; errorId?: string } }).data;
      expect(data?.code).toBe('internal');
      expect(error!.message).toContain(data!.errorId!);

      const list = await send(stack.baseUrl, { method: 'GET', path: '/api/conversations', token: admin.token });
      expect(list.status).toBe(500);
      expect(list.text).not.toMatch(DATABASE_TEXT);
      const errorId = list.body.error.errorId as string;
      expect(list.body.error.message).toContain(errorId);
      // The server's log has the details under that id.
      expect(errors.some((e) => e.includes(errorId) && /conversations/.test(e)), errors.join('\n')).toBe(true);
    } finally {
      await stack.database.pool.query('alter table conversations_gone rename to conversations');
    }
  });
});
