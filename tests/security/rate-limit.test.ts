/**
 * Issue 5: abuse limits on visitor sessions, conversation starts (per IP and per visitor) and visitor
 * messages (REST and socket, per visitor), with a clear `rate_limited` error. Different client IPs
 * are simulated by connecting from other loopback addresses (127.0.0.x).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../config/env.js';
import express from 'express';
import { restRateLimits, tokenBuckets, trustProxySetting } from '../../api/http/rate-limit.js';
import { describeResponse, send, type RawResponse } from './lib/http.js';
import { conversationHeldBy, staff } from './lib/principals.js';
import { emitRaw, rawConnect } from './lib/socket.js';
import type { StaffClient, VisitorClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';

const LIMITS = { conversationsPerMinute: 3, messagesPer10s: 4, staffEventsPer10s: 6 };

function expectRateLimited(res: RawResponse) {
  expect(res.status, describeResponse(res)).toBe(429);
  expect(res.body).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/^Too many requests: please wait \d+ s and try again$/) } });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

describe('rate limits', () => {
  let stack: Stack;
  let team: { alice: StaffClient; bob: StaffClient; admin: StaffClient };
  let chatting: VisitorClient;
  const session = (ip: string) => send(stack.baseUrl, { method: 'POST', path: '/api/visitor/session', json: {}, localAddress: ip });
  /** Row counts only: conversations started earlier keep writing their own rows in the background. */
  const count = async (sql: string, params: unknown[] = []) => (await stack.database.pool.query<{ n: number }>(`select count(*)::int as n ${sql}`, params)).rows[0].n;
  const start = (ip: string, token: string) => send(stack.baseUrl, { method: 'POST', path: '/api/visitor/conversations', json: {}, token, localAddress: ip });

  beforeAll(async () => {
    stack = await startStack({ rateLimits: LIMITS });
    team = await staff(stack.baseUrl);
    // From 127.0.0.1: one session and one conversation of that address's budget; one socket message.
    chatting = await conversationHeldBy(stack.baseUrl, team.alice, 'Chatty');
  });
  afterAll(async () => {
    chatting?.close();
    for (const c of Object.values(team ?? {})) c.close();
    await stack?.stop();
  });

  it('limits visitor sessions per client IP', async () => {
    for (let i = 0; i < LIMITS.conversationsPerMinute; i++) expect((await session('127.0.0.10')).status).toBe(200);
    const visitors = await count('from visitors');
    expectRateLimited(await session('127.0.0.10'));
    expect(await count('from visitors')).toBe(visitors); // no visitor created
    expect((await session('127.0.0.11')).status).toBe(200); // another address is not affected
  });

  it('limits conversation starts per visitor, whatever its address', async () => {
    const visitor = (await session('127.0.0.20')).body.token as string;
    for (let i = 0; i < LIMITS.conversationsPerMinute; i++) expect((await start(`127.0.0.${21 + i}`, visitor)).status).toBe(200);
    expectRateLimited(await start('127.0.0.29', visitor));
    const other = (await session('127.0.0.20')).body.token as string;
    expect((await start('127.0.0.29', other)).status).toBe(200);
  });

  it('limits conversation starts per client IP, whatever the visitor', async () => {
    const visitors = await Promise.all([30, 31, 32, 33].map(async (n) => (await session(`127.0.0.${n}`)).body.token as string));
    for (const v of visitors.slice(0, LIMITS.conversationsPerMinute)) expect((await start('127.0.0.34', v)).status).toBe(200);
    const conversations = await count('from conversations');
    expectRateLimited(await start('127.0.0.34', visitors[3]));
    expect(await count('from conversations')).toBe(conversations); // no conversation started
    expect((await start('127.0.0.35', visitors[3])).status).toBe(200);
  });

  it('limits a visitor\'s REST messages (agents are not limited)', async () => {
    const path = `/api/conversations/${chatting.conversation.id}/messages`;
    const post = (token: string, text: string) => send(stack.baseUrl, { method: 'POST', path, token, json: { clientId: crypto.randomUUID(), text } });
    for (let i = 0; i < LIMITS.messagesPer10s; i++) expect((await post(chatting.token, `visitor ${i}`)).status).toBe(201);
    const stored = await count('from messages where conversation_id = $1', [chatting.conversation.id]);
    expectRateLimited(await post(chatting.token, 'one too many'));
    expect(await count('from messages where conversation_id = $1', [chatting.conversation.id])).toBe(stored);
    for (let i = 0; i < LIMITS.messagesPer10s + 2; i++) expect((await post(team.alice.token, `agent ${i}`)).status).toBe(201);
  });

  it('limits a visitor\'s socket events across all of its connections, then refills', async () => {
    const send_ = (socket: typeof chatting.socket, text = 'hi') => emitRaw(socket, 'visitor:message', [{ clientId: crypto.randomUUID(), text }]);
    let accepted = 0;
    let refused: any;
    for (let i = 0; i < LIMITS.messagesPer10s + 2 && !refused; i++) {
      const r = await send_(chatting.socket);
      if (r.acked && r.res.ok) accepted++;
      else refused = r.acked ? r.res : 'no ack';
    }
    expect(accepted).toBeLessThanOrEqual(LIMITS.messagesPer10s);
    expect(refused).toEqual({ ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/^Too many requests: please wait \d+ s and try again$/) } });
    // a second connection of the same visitor shares the budget
    const { socket: second, error } = await rawConnect(stack.baseUrl, { token: chatting.token });
    expect(error).toBeUndefined();
    const stored = await count('from messages where conversation_id = $1', [chatting.conversation.id]);
    expect(((await send_(second as never)) as any).res.error.code).toBe('rate_limited');
    expect(await count('from messages where conversation_id = $1', [chatting.conversation.id])).toBe(stored);
    // one token comes back every 10 s / limit
    await new Promise((r) => setTimeout(r, 10_000 / LIMITS.messagesPer10s + 300));
    expect(((await send_(second as never)) as any).res).toMatchObject({ ok: true });
    second.close();
  });

  it('limits a staff user\'s socket events across all of their connections (others are not affected)', async () => {
    const watch = (socket: unknown) => emitRaw(socket as never, 'conversation:watch', [{ conversationId: chatting.conversation.id }]);
    // the admin has sent nothing yet: a full budget
    let accepted = 0;
    let refused: any;
    for (let i = 0; i < LIMITS.staffEventsPer10s + 2 && !refused; i++) {
      const r = await watch(team.admin.socket);
      if (r.acked && r.res.ok) accepted++;
      else refused = r.acked ? r.res : 'no ack';
    }
    expect(accepted).toBe(LIMITS.staffEventsPer10s);
    expect(refused).toEqual({ ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/^Too many requests: please wait \d+ s and try again$/) } });
    const { socket: second, error } = await rawConnect(stack.baseUrl, { token: team.admin.token });
    expect(error).toBeUndefined();
    expect(((await watch(second)) as any).res.error.code).toBe('rate_limited'); // the budget is the user's
    expect(((await watch(team.alice.socket)) as any).res).toEqual({ ok: true }); // another user's is not touched
    await new Promise((r) => setTimeout(r, 10_000 / LIMITS.staffEventsPer10s + 300));
    expect(((await watch(second)) as any).res).toEqual({ ok: true });
    second.close();
  });
});

describe('rate limit building blocks', () => {
  it('token buckets refill continuously and per key', () => {
    let now = 0;
    const buckets = tokenBuckets({ capacity: 3, perMs: 3_000, now: () => now });
    expect([1, 2, 3, 4].map(() => buckets.take('a').ok)).toEqual([true, true, true, false]);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterMs: 1_000 });
    expect(buckets.take('b').ok).toBe(true);
    now = 1_000;
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
    now = 120_000; // idle keys are swept
    buckets.take('c');
    expect(buckets.size).toBe(1);
  });

  it('counts per forwarded client IP behind a trusted proxy (TRUST_PROXY)', async () => {
    expect([trustProxySetting('true'), trustProxySetting('1'), trustProxySetting('loopback, 10.0.0.0/8')]).toEqual([true, 1, 'loopback, 10.0.0.0/8']);
    const app = express();
    app.set('trust proxy', trustProxySetting('loopback'));
    app.use(restRateLimits({ conversationsPerMinute: 1, messagesPer10s: 1, staffEventsPer10s: 1, signalsPer10s: 1 }));
    app.post('/api/visitor/session', (_req, res) => { res.json({ ok: true }); });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const from = (ip: string) => send(base, { method: 'POST', path: '/api/visitor/session', json: {}, headers: { 'x-forwarded-for': ip } });
    try {
      expect((await from('203.0.113.1')).status).toBe(200);
      expectRateLimited(await from('203.0.113.1'));
      expect((await from('203.0.113.2')).status).toBe(200); // same proxy, another client
    } finally {
      server.close();
    }
  });

  it('reads the limits from the environment with sane defaults', () => {
    const base = { DATABASE_URL: 'postgres://x', PARLEY_SECRET: 'a-secret-of-16-chars' };
    expect(readEnv(base)).toMatchObject({ RATE_LIMIT_CONVERSATIONS_PER_MIN: 10, RATE_LIMIT_MESSAGES_PER_10S: 20, RATE_LIMIT_STAFF_EVENTS_PER_10S: 100, SOCKETS_PER_VISITOR: 10, SOCKETS_PER_STAFF_USER: 10, TRUST_PROXY: '' });
    expect(() => readEnv({ ...base, SOCKETS_PER_VISITOR: '0' })).toThrow(/SOCKETS_PER_VISITOR/);
    expect(readEnv({ ...base, RATE_LIMIT_CONVERSATIONS_PER_MIN: '5', RATE_LIMIT_MESSAGES_PER_10S: '50' })).toMatchObject({ RATE_LIMIT_CONVERSATIONS_PER_MIN: 5, RATE_LIMIT_MESSAGES_PER_10S: 50 });
    expect(() => readEnv({ ...base, RATE_LIMIT_MESSAGES_PER_10S: '0' })).toThrow(/RATE_LIMIT_MESSAGES_PER_10S/);
  });
});
