/**
 * Issue 16 items 11 and 12 (HTTP part): JSON nested thousands of levels deep is refused with 400 (REST,
 * flow drafts included) or a `bad_request` ack (socket), and a client that trickles its headers or body
 * is cut off with 408 after the configured timeouts instead of holding a connection for minutes.
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiServer, type ApiServer } from '../../api/server.js';
import { MAX_JSON_DEPTH } from '../../api/http/json-depth.js';
import { emitAck, http, staffClient, visitorClient, type StaffClient, type VisitorClient } from '../helpers/clients.js';
import { SECRET, startStack, type Stack } from '../helpers/stack.js';
import { describeResponse, send } from './lib/http.js';

/** JSON text nested `levels` deep (alternating arrays and objects), built as text: JSON.stringify itself overflows the stack on such values. */
const nested = (levels: number): string => {
  let open = '';
  let close = '';
  for (let i = 0; i < levels; i++) {
    open += i % 2 ? '{"a":' : '[';
    close = (i % 2 ? '}' : ']') + close;
  }
  return `${open}1${close}`;
};

/** Arrays only: the deepest nesting that fits in the 64 kB body and frame limits. */
const nestedArrays = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

/** Sends a raw Socket.IO event packet (`42<ackId>[...]`) with `argsJson` as its arguments, and resolves with the ack's payload. */
function rawEmit(socket: VisitorClient['socket'], event: string, argsJson: string, ms = 10_000): Promise<any> {
  const ackId = Math.floor(Math.random() * 1e9);
  const engine = socket.io.engine;
  return new Promise((resolve, reject) => {
    const onMessage = (data: unknown) => {
      const text = String(data);
      const prefix = `3${ackId}`;
      if (!text.startsWith(prefix)) return;
      engine.off('message', onMessage);
      clearTimeout(timer);
      resolve(JSON.parse(text.slice(prefix.length))[0]);
    };
    const timer = setTimeout(() => { engine.off('message', onMessage); reject(new Error(`no ack for ${event} within ${ms} ms`)); }, ms);
    engine.on('message', onMessage);
    engine.send(`2${ackId}[${JSON.stringify(event)},${argsJson}]`);
  });
}

describe('JSON depth limit', () => {
  let stack: Stack;
  let admin: StaffClient;
  let visitor: VisitorClient;

  beforeAll(async () => {
    stack = await startStack();
    admin = await staffClient(stack.baseUrl, 'admin@parley.local');
    visitor = await visitorClient(stack.baseUrl, 'Deep');
  });
  afterAll(async () => {
    admin?.close();
    visitor?.close();
    await stack?.stop();
  });

  it('refuses a flow draft nested 5,000 levels deep with 400 and leaves the draft as it was', async () => {
    const before = await http<{ draft: unknown }>(stack.baseUrl, 'GET', '/api/flows/default', { token: admin.token });
    expect(before.status).toBe(200);
    const res = await send(stack.baseUrl, { method: 'PUT', path: '/api/flows/default', token: admin.token, raw: `{"draft":{"nodes":${nested(5_000)}}}` });
    expect(res.status, describeResponse(res)).toBe(400);
    expect(res.body).toEqual({ error: { code: 'bad_request', message: `body: JSON nested deeper than ${MAX_JSON_DEPTH} levels` } });
    const after = await http<{ draft: unknown }>(stack.baseUrl, 'GET', '/api/flows/default', { token: admin.token });
    expect(after.body.draft).toEqual(before.body.draft);
    // The same through validate, which takes a definition in its body.
    const validate = await send(stack.baseUrl, { method: 'POST', path: '/api/flows/default/validate', token: admin.token, raw: `{"definition":{"nodes":${nested(5_000)}}}` });
    expect(validate.status, describeResponse(validate)).toBe(400);
  });

  it('refuses deep bodies on public routes too, even nested as deep as 64 kB allows', async () => {
    for (const raw of [`{"displayName":${nested(5_000)}}`, nestedArrays(30_000)]) {
      const res = await send(stack.baseUrl, { method: 'POST', path: '/api/visitor/session', raw });
      expect(res.status, describeResponse(res)).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
    // Brackets inside strings are text, not nesting: a message full of them is fine.
    const text = '['.repeat(500);
    const ok = await send(stack.baseUrl, { method: 'POST', path: `/api/conversations/${visitor.conversation.id}/messages`, token: visitor.token, json: { clientId: randomUUID(), text } });
    expect(ok.status, describeResponse(ok)).toBe(201);
  });

  it('acks a deep socket payload with bad_request, and the server carries on', async () => {
    const ack = await rawEmit(visitor.socket, 'visitor:message', `{"clientId":"${randomUUID()}","text":"hi","extra":${nested(5_000)}}`);
    expect(ack).toEqual({ ok: false, error: { code: 'bad_request', message: `visitor:message: JSON nested deeper than ${MAX_JSON_DEPTH} levels` } });
    const staffAck = await rawEmit(admin.socket, 'agent:status', nested(5_000));
    expect(staffAck).toEqual({ ok: false, error: { code: 'bad_request', message: `agent:status: JSON nested deeper than ${MAX_JSON_DEPTH} levels` } });
    // As deep as the 64 kB frame allows: refused (ack or closed connection), nothing else happens.
    const deepest = await rawEmit(visitor.socket, 'visitor:message', nestedArrays(30_000)).catch((err: Error) => ({ ok: false, error: { code: err.message } }));
    expect(deepest.ok).toBe(false);
    const health = await http(stack.baseUrl, 'GET', '/api/health');
    expect(health.status).toBe(200);
    if (!visitor.socket.connected) await new Promise<void>((r) => visitor.socket.once('connect', () => r()));
    const fine = await emitAck(visitor.socket, 'visitor:message', { clientId: randomUUID(), text: 'still here' }, 10_000);
    expect(fine.ok).toBe(true);
  });
});

/** Opens a TCP connection, writes `head`, then one byte of `trickle` every `everyMs`; resolves with what the server said and when it closed. */
function slowClient(port: number, head: string, trickle: string, everyMs: number): Promise<{ response: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => { if (i < trickle.length && socket.writable) socket.write(trickle[i++]); }, everyMs);
    });
    socket.on('data', (d) => { response += d.toString('utf8'); });
    socket.on('error', () => undefined); // a reset after the 408 is fine
    socket.on('close', () => { clearInterval(timer); resolve({ response, closedAfterMs: Date.now() - t0 }); });
    setTimeout(() => { clearInterval(timer); socket.destroy(); reject(new Error(`connection still open after 20 s; got: ${response}`)); }, 20_000);
  });
}

describe('HTTP request and header timeouts', () => {
  let stack: Stack;
  let api: ApiServer;
  let port: number;

  beforeAll(async () => {
    stack = await startStack();
    api = await createApiServer({
      database: stack.database, temporalAddress: inject('temporalAddress'), namespace: 'default', taskQueue: stack.taskQueue,
      deskId: stack.deskId, temporalUiUrl: 'http://localhost:8233', secret: SECRET,
      http: { requestTimeoutMs: 1_500, headersTimeoutMs: 1_000, keepAliveTimeoutMs: 1_000 },
    });
    port = await api.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await api?.close();
    await stack?.stop();
  });

  it('cuts off a body that trickles in: 408 after the request timeout, not minutes later', async () => {
    const body = JSON.stringify({ displayName: 'x'.repeat(200) });
    const head = `POST /api/visitor/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { response, closedAfterMs } = await slowClient(port, head, body, 200);
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(response).toContain('"code":"bad_request"');
    expect(closedAfterMs).toBeGreaterThanOrEqual(1_400);
    expect(closedAfterMs).toBeLessThan(4_000);
  });

  it('cuts off headers that trickle in: 408 after the headers timeout', async () => {
    const { response, closedAfterMs } = await slowClient(port, 'GET /api/health HTTP/1.1\r\n', 'X-Slow: ' + 'a'.repeat(100), 150);
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(3_500);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const { response, closedAfterMs } = await slowClient(port, 'GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n', '', 1_000);
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(closedAfterMs).toBeLessThan(4_000);
  });
});
