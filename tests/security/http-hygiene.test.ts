/**
 * Issue 16 item 7: security headers (CSP without inline script, frame-ancestors, nosniff, referrer
 * policy), staff sessions in HttpOnly SameSite=Strict cookies (Secure over HTTPS), CSRF protection
 * of cookie sessions, and socket handshakes with the cookie session.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { securityHeaders } from '../../api/http/security-headers.js';
import { describeResponse, send, type RawResponse } from './lib/http.js';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';
import { ensureWebBuild } from '../browser/lib/web-build.js';

const SHOP = 'https://shop.example';

/** The directives of a Content-Security-Policy header, by name. */
function csp(res: RawResponse): Map<string, string[]> {
  const header = res.headers['content-security-policy'];
  expect(typeof header, `no CSP on ${describeResponse(res)}`).toBe('string');
  return new Map((header as string).split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]));
}

/** Set-Cookie lines of a response by cookie name: value and attributes (lower-cased names). */
function cookies(res: RawResponse): Map<string, { value: string; attrs: Map<string, string> }> {
  const lines = res.headers['set-cookie'] ?? [];
  return new Map(lines.map((line) => {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const at = pair.indexOf('=');
    return [pair.slice(0, at), {
      value: pair.slice(at + 1),
      attrs: new Map(attrs.map((a) => { const i = a.indexOf('='); return i < 0 ? [a.toLowerCase(), ''] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)]; })),
    }];
  }));
}

function connectSocket(baseUrl: string, headers: Record<string, string>, auth?: Record<string, unknown>): Promise<{ socket: Socket; error?: Error }> {
  const socket = io(baseUrl, { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: headers, ...(auth ? { auth } : {}) });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error) => { socket.close(); resolve({ socket, error }); });
  });
}

describe('HTTP hygiene', () => {
  let stack: Stack;
  /** An admin's cookie session: the Cookie header to send and the CSRF token the page would echo. */
  let admin: { cookie: string; csrf: string; token: string };

  const signIn = async (email: string, headers: Record<string, string> = {}) =>
    send(stack.baseUrl, { method: 'POST', path: '/api/auth/login', json: { email, password: TEST_PASSWORD }, headers });
  const asCookie = (res: RawResponse) => {
    const jar = cookies(res);
    return { cookie: `parley_session=${jar.get('parley_session')!.value}; parley_csrf=${jar.get('parley_csrf')!.value}`, csrf: decodeURIComponent(jar.get('parley_csrf')!.value), token: res.body.token as string };
  };

  beforeAll(async () => {
    ensureWebBuild(); // the headers are checked on the real apps' pages
    stack = await startStack({ api: { frameOrigins: ["'self'", SHOP], trustProxy: 'loopback' } });
    admin = asCookie(await signIn('admin@parley.local'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('headers', () => {
    it('a strict CSP everywhere: scripts and styles from files only, no plugins, no base', async () => {
      for (const path of ['/', '/agent/', '/admin/login', '/api/health', '/api/nope']) {
        const res = await send(stack.baseUrl, { method: 'GET', path });
        const policy = csp(res);
        expect(policy.get('script-src'), path).toEqual(["'self'"]);
        expect(policy.get('script-src-attr'), path).toEqual(["'none'"]);
        expect(policy.get('style-src'), path).toEqual(["'self'"]);
        expect(policy.get('default-src'), path).toEqual(["'self'"]);
        expect(policy.get('object-src'), path).toEqual(["'none'"]);
        expect(policy.get('base-uri'), path).toEqual(["'none'"]);
        expect(res.headers['content-security-policy'], path).not.toMatch(/unsafe-inline|unsafe-eval/);
        expect(res.headers['x-content-type-options'], path).toBe('nosniff');
        expect(res.headers['referrer-policy'], path).toBe('no-referrer');
      }
    });

    it('the agent and admin apps and the API may not be framed; the visitor chat only by the allowed origins', async () => {
      for (const path of ['/agent/', '/agent/login', '/admin/', '/admin/agents', '/api/health', '/api/config']) {
        const res = await send(stack.baseUrl, { method: 'GET', path });
        expect(csp(res).get('frame-ancestors'), path).toEqual(["'none'"]);
        expect(res.headers['x-frame-options'], path).toBe('DENY');
      }
      for (const path of ['/', '/index.html']) {
        const res = await send(stack.baseUrl, { method: 'GET', path });
        expect(csp(res).get('frame-ancestors'), path).toEqual(["'self'", SHOP]);
        expect(res.headers['x-frame-options'], path).toBeUndefined(); // it cannot name shop.example
      }
    });

    it("the visitor chat defaults to 'self' (same-origin framing only)", async () => {
      const app = express().use(securityHeaders()).get(['/', '/agent/'], (_req, res) => void res.send('ok'));
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      try {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const visitor = await send(base, { method: 'GET', path: '/' });
        expect(csp(visitor).get('frame-ancestors')).toEqual(["'self'"]);
        expect(visitor.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(csp(await send(base, { method: 'GET', path: '/agent/' })).get('frame-ancestors')).toEqual(["'none'"]);
      } finally {
        server.close();
      }
    });
  });

  describe('session cookies', () => {
    it('sign-in sets an HttpOnly, SameSite=Strict session cookie and a readable CSRF cookie, not Secure over plain HTTP', async () => {
      const res = await signIn('alice@parley.local');
      expect(res.status, describeResponse(res)).toBe(200);
      const jar = cookies(res);
      const session = jar.get('parley_session')!;
      expect(session.value).toBe(res.body.token);
      expect(session.attrs.has('httponly')).toBe(true);
      expect(session.attrs.get('samesite')).toBe('Strict');
      expect(session.attrs.get('path')).toBe('/');
      expect(Number(session.attrs.get('max-age'))).toBe(12 * 3600);
      expect(session.attrs.has('secure')).toBe(false);
      const csrf = jar.get('parley_csrf')!;
      expect(csrf.attrs.has('httponly')).toBe(false);
      expect(csrf.attrs.get('samesite')).toBe('Strict');
      expect(csrf.value.length).toBeGreaterThan(20);
    });

    it('are Secure when the request came over HTTPS through a trusted proxy', async () => {
      const jar = cookies(await signIn('alice@parley.local', { 'x-forwarded-proto': 'https' }));
      expect(jar.get('parley_session')!.attrs.has('secure')).toBe(true);
      expect(jar.get('parley_csrf')!.attrs.has('secure')).toBe(true);
    });

    it('the cookie alone signs a staff member in for reading', async () => {
      const me = await send(stack.baseUrl, { method: 'GET', path: '/api/auth/me', headers: { cookie: admin.cookie } });
      expect(me.status, describeResponse(me)).toBe(200);
      expect(me.body.email).toBe('admin@parley.local');
      const forged = await send(stack.baseUrl, { method: 'GET', path: '/api/auth/me', headers: { cookie: 'parley_session=not-a-token' } });
      expect(forged.status).toBe(401);
    });

    it('a visitor token in the session cookie signs nobody in', async () => {
      const visitor = await send(stack.baseUrl, { method: 'POST', path: '/api/visitor/session', json: {} });
      const res = await send(stack.baseUrl, { method: 'POST', path: '/api/visitor/conversations', json: {}, headers: { cookie: `parley_session=${visitor.body.token}` } });
      expect(res.status, describeResponse(res)).toBe(401);
      const me = await send(stack.baseUrl, { method: 'GET', path: '/api/auth/me', headers: { cookie: `parley_session=${visitor.body.token}` } });
      expect(me.status).toBe(401);
    });
  });

  describe('CSRF', () => {
    const teamsNamed = async (name: string) => {
      const res = await send(stack.baseUrl, { method: 'GET', path: '/api/teams', headers: { cookie: admin.cookie } });
      return (res.body.teams as Array<{ name: string }>).filter((t) => t.name === name).length;
    };
    const createTeam = (id: string, headers: Record<string, string>, token?: string) =>
      send(stack.baseUrl, { method: 'POST', path: '/api/teams', json: { id, name: id }, headers, token });

    it('a state-changing request with the cookie but without the CSRF header is refused and changes nothing', async () => {
      const res = await createTeam('csrf-none', { cookie: admin.cookie });
      expect(res.status, describeResponse(res)).toBe(403);
      expect(res.body).toEqual({ error: { code: 'forbidden', message: expect.stringContaining('CSRF') } });
      expect(await teamsNamed('csrf-none')).toBe(0);
    });

    it('a wrong CSRF header, or another session\'s, is refused too', async () => {
      const other = asCookie(await signIn('admin@parley.local'));
      expect(other.csrf).not.toBe(admin.csrf);
      for (const csrf of ['x'.repeat(admin.csrf.length), other.csrf, '']) {
        const res = await createTeam('csrf-wrong', { cookie: admin.cookie, 'x-csrf-token': csrf });
        expect(res.status, describeResponse(res)).toBe(403);
      }
      expect(await teamsNamed('csrf-wrong')).toBe(0);
    });

    it('with the CSRF header it goes through', async () => {
      const res = await createTeam('csrf-ok', { cookie: admin.cookie, 'x-csrf-token': admin.csrf });
      expect(res.status, describeResponse(res)).toBe(201);
      expect(await teamsNamed('csrf-ok')).toBe(1);
    });

    it('a Bearer client needs no CSRF token (browsers never send that header on their own), even with a stray cookie', async () => {
      const res = await createTeam('bearer-ok', { cookie: 'parley_session=whatever' }, admin.token);
      expect(res.status, describeResponse(res)).toBe(201);
    });

    it('sign-out clears both cookies', async () => {
      const session = asCookie(await signIn('bob@parley.local'));
      const refused = await send(stack.baseUrl, { method: 'POST', path: '/api/auth/logout', json: {}, headers: { cookie: session.cookie } });
      expect(refused.status).toBe(403);
      const res = await send(stack.baseUrl, { method: 'POST', path: '/api/auth/logout', json: {}, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
      expect(res.status, describeResponse(res)).toBe(200);
      const jar = cookies(res);
      for (const name of ['parley_session', 'parley_csrf']) {
        expect(jar.get(name)?.value, name).toBe('');
        expect(new Date(jar.get(name)!.attrs.get('expires')!).getTime(), name).toBeLessThan(Date.now());
      }
    });
  });

  describe('socket handshake', () => {
    it('a staff socket connects with the session cookie and acts as that staff member', async () => {
      const { socket, error } = await connectSocket(stack.baseUrl, { cookie: admin.cookie, origin: stack.baseUrl });
      try {
        expect(error).toBeUndefined();
        const state = await (socket.timeout(10_000) as any).emitWithAck('agent:status', { status: 'away', reason: 'cookie check' });
        expect(state).toMatchObject({ ok: true });
      } finally {
        socket.close();
      }
    });

    it('without a cookie or token, with a forged cookie, or from another site\'s page, it is refused', async () => {
      const cases: Array<[string, Record<string, string>]> = [
        ['no cookie', { origin: stack.baseUrl }],
        ['forged cookie', { cookie: 'parley_session=forged', origin: stack.baseUrl }],
        ['other origin', { cookie: admin.cookie, origin: 'https://evil.example' }],
        ['cross-site fetch', { cookie: admin.cookie, 'sec-fetch-site': 'cross-site' }],
      ];
      for (const [name, headers] of cases) {
        const { error } = await connectSocket(stack.baseUrl, headers);
        expect(error?.message, name).toMatch(/unauthorized/);
      }
    });

    it('a token in auth still wins over the cookie (visitors and API clients)', async () => {
      const { socket, error } = await connectSocket(stack.baseUrl, { cookie: admin.cookie, origin: stack.baseUrl }, { token: 'bad' });
      socket.close();
      expect(error?.message).toMatch(/unauthorized/);
    });
  });
});
