import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackError, ApiError, httpError } from '../../../client/errors.js';
import { operations } from '../../../client/operations.js';
import { restClient } from '../../../client/rest.js';
import { ack, connected, request, socketClient, type ParleySocket } from '../../../client/socket.js';

/** The typed client turns every refusal (HTTP answer or socket ack) into one ApiError with the server's code. */
describe('typed client error mapping', () => {
  it('maps an error body, or a bare status, to ApiError', () => {
    const refused = httpError(422, { error: { code: 'invalid_flow', message: 'no start', field: 'start' }, problems: [] });
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'invalid_flow', message: 'no start', status: 422, field: 'start' });
    expect(refused.body).toEqual({ error: { code: 'invalid_flow', message: 'no start', field: 'start' }, problems: [] });
    expect(httpError(401, 'Unauthorized')).toMatchObject({ code: 'unauthorized', status: 401, isUnauthorized: true });
    expect(httpError(502, null)).toMatchObject({ code: 'internal', message: 'Request failed (502)', status: 502 });
    expect(ackError({ ok: false, error: { code: 'conflict', message: 'already closed' } })).toMatchObject({ code: 'conflict', message: 'already closed', status: 0 });
    expect(ackError(undefined)).toMatchObject({ code: 'internal' });
  });

  describe('over HTTP and Socket.IO', () => {
    let server: Server;
    let io: SocketServer;
    let base: string;
    const seen: Array<{ path: string; headers: Record<string, string | string[] | undefined> }> = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push({ path: req.url ?? '', headers: req.headers });
        const reply = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)); };
        if (req.url === '/api/auth/me') reply(200, { id: 'u1' });
        else if (req.url?.startsWith('/api/conversations/')) reply(409, { error: { code: 'conflict', message: 'This conversation has already finished' } });
        else if (req.url === '/slow') setTimeout(() => reply(200, {}), 2_000);
        else res.writeHead(500).end('boom');
      });
      io = new SocketServer(server, { path: '/socket.io' });
      io.on('connection', (socket) => {
        socket.on('visitor:close', (_p: unknown, cb: (r: unknown) => void) => cb({ ok: false, error: { code: 'forbidden', message: 'not yours' } }));
        socket.on('visitor:rate', (_p: unknown, cb: (r: unknown) => void) => cb({ ok: true }));
        socket.on('agent:accept', () => undefined); // never acks
      });
      server.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      void io.close(); // closes the server below too
      await new Promise<void>((r) => server.close(() => r()));
    });

    it('REST: a 2xx answer is the body; a refusal is an ApiError; send returns any answer', async () => {
      let unauthorized = 0;
      const rest = restClient(base, { auth: { token: () => 'tok' }, onUnauthorized: () => unauthorized++ });
      expect(await rest.call(operations.getMe)).toEqual({ id: 'u1' });
      expect(seen.at(-1)!.headers.authorization).toBe('Bearer tok');
      const err = await rest.call(operations.closeConversation, { params: { id: 'c/1' }, body: {} }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'ApiError', code: 'conflict', status: 409, message: 'This conversation has already finished' });
      expect(seen.at(-1)!.path).toBe('/api/conversations/c%2F1/close');
      expect(await rest.request('GET', '/other').catch((e: unknown) => e)).toMatchObject({ code: 'internal', status: 500 });
      expect(await rest.send('GET', '/other')).toEqual({ status: 500, ok: false, body: 'boom' });
      expect(await rest.send('GET', '/slow', { timeoutMs: 50 }).catch((e: unknown) => e)).toMatchObject({ code: 'timeout' });
      expect(await restClient('http://127.0.0.1:1').send('GET', '/').catch((e: unknown) => e)).toMatchObject({ code: 'network' });
      expect(unauthorized).toBe(0);
    });

    it('REST: a cookie session echoes its CSRF token on writes only, never with a Bearer token', async () => {
      const rest = restClient(base, { auth: { csrf: () => 'c5rf', csrfHeader: 'X-CSRF-Token' } });
      await rest.send('POST', '/api/auth/me', { body: {} });
      expect(seen.at(-1)!.headers['x-csrf-token']).toBe('c5rf');
      await rest.send('GET', '/api/auth/me');
      expect(seen.at(-1)!.headers['x-csrf-token']).toBeUndefined();
      await rest.send('POST', '/api/auth/me', { body: {}, token: 'tok' });
      expect(seen.at(-1)!.headers['x-csrf-token']).toBeUndefined();
    });

    it('Socket.IO: ack returns the ack as sent; request maps an error ack and a missing ack to ApiError', async () => {
      const socket: ParleySocket = await connected(socketClient(base, 'tok', { forceNew: true, reconnection: false }), 5_000);
      try {
        expect(await ack(socket, 'visitor:close', {})).toEqual({ ok: false, error: { code: 'forbidden', message: 'not yours' } });
        expect(await request(socket, 'visitor:rate', { score: 5, requestId: '00000000-0000-4000-8000-000000000000' })).toEqual({ ok: true });
        expect(await request(socket, 'visitor:close', {}).catch((e: unknown) => e)).toMatchObject({ name: 'ApiError', code: 'forbidden', status: 0 });
        expect(await request(socket, 'agent:accept', { conversationId: '00000000-0000-4000-8000-000000000000' }, 100).catch((e: unknown) => e))
          .toMatchObject({ name: 'ApiError', code: 'timeout' });
      } finally {
        socket.close();
      }
    });
  });
});
