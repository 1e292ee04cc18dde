/**
 * Issue 16, items 2, 3, 12, 13: a changed right takes effect at once on open sockets, on every API
 * process. Two API processes (A and B): the admin acts through A while the affected user's socket is
 * connected to B. Role changes, disable/restore and password changes revoke every earlier token; a
 * socket never outlives its token; sockets per visitor and per staff user are bounded.
 */
import { SignJWT } from 'jose';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from './lib/http.js';
import { conversationHeldBy, staff } from './lib/principals.js';
import { emitRaw, rawConnect } from './lib/socket.js';
import type { StaffClient, VisitorClient } from '../helpers/clients.js';
import { SECRET, startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';

const SOCKET_LIMITS = { perVisitor: 3, perStaffUser: 3 };
const NEW_PASSWORD = 'another correct horse battery';

describe('rights changes on open sockets, across two API processes', () => {
  let stack: Stack;
  let A: string;
  let B: string;
  let team: { alice: StaffClient; bob: StaffClient; admin: StaffClient };
  let visitor: VisitorClient;
  const opened: Socket[] = [];

  beforeAll(async () => {
    stack = await startStack({ apiProcesses: 2, socketLimits: SOCKET_LIMITS });
    [A, B] = stack.baseUrls;
    team = await staff(A);
    visitor = await conversationHeldBy(A, team.alice, 'Rights Visitor');
  });
  afterAll(async () => {
    for (const s of opened) s.close();
    visitor?.close();
    for (const c of Object.values(team ?? {})) c.close();
    await stack?.stop();
  });

  const asAdmin = (method: string, path: string, json?: unknown) => send(A, { method, path, token: team.admin.token, ...(json === undefined ? {} : { json }) });
  const login = (email: string, password = TEST_PASSWORD) => send(A, { method: 'POST', path: '/api/auth/login', json: { email, password } });
  /** A staff member created for one test, signed in, with a socket on process B. */
  async function memberOnB(role: 'admin' | 'agent') {
    const email = `${role}-${crypto.randomUUID().slice(0, 8)}@parley.local`;
    const created = await asAdmin('POST', '/api/agents', { email, nickname: `Temp ${role}`, role, password: TEST_PASSWORD });
    expect(created.status).toBe(201);
    const token = (await login(email)).body.token as string;
    const { socket, error } = await rawConnect(B, { token });
    expect(error).toBeUndefined();
    opened.push(socket);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    return { id: created.body.id as string, email, token, socket, disconnected };
  }
  const within = <T>(p: Promise<T>, ms: number, what: string) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
  const conversationRow = async () => (await stack.database.pool.query('select agent_id, status from conversations where id = $1', [visitor.conversation.id])).rows[0];
  /** The token no longer works: REST answers 401 and a socket handshake is refused (on both processes). */
  async function expectRevoked(token: string) {
    for (const base of [A, B]) {
      expect((await send(base, { method: 'GET', path: '/api/auth/me', token })).status).toBe(401);
      const { socket, error } = await rawConnect(base, { token });
      socket.close();
      expect(error?.message).toMatch(/^unauthorized/);
    }
  }

  it('a demoted admin\'s socket on the other process can no longer watch or close another agent\'s conversation', async () => {
    const member = await memberOnB('admin');
    const watch = await emitRaw(member.socket, 'conversation:watch', [{ conversationId: visitor.conversation.id }]);
    expect(watch.acked && watch.res).toEqual({ ok: true }); // an admin may watch any conversation

    const demoted = await asAdmin('PATCH', `/api/agents/${member.id}`, { role: 'agent' });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe('agent');
    // At once: the very next events on that socket do nothing.
    const [again, close] = await Promise.all([
      emitRaw(member.socket, 'conversation:watch', [{ conversationId: visitor.conversation.id }], 2_000),
      emitRaw(member.socket, 'agent:close', [{ conversationId: visitor.conversation.id }], 2_000),
    ]);
    expect(again.acked && again.res.ok).toBeFalsy();
    expect(close.acked && close.res.ok).toBeFalsy();
    expect(await within(member.disconnected, 2_000, 'the demoted socket is closed')).toBe('io server disconnect');
    expect(await conversationRow()).toEqual({ agent_id: team.alice.userId, status: 'assigned' });
    await expectRevoked(member.token);

    // Signed in again, it has an agent's rights only.
    const token = (await login(member.email)).body.token as string;
    const { socket, error } = await rawConnect(B, { token });
    opened.push(socket);
    expect(error).toBeUndefined();
    for (const event of ['conversation:watch', 'agent:close']) {
      const r = await emitRaw(socket, event, [{ conversationId: visitor.conversation.id }]);
      expect(r.acked && r.res.ok === false && ['forbidden', 'not_found'].includes(r.res.error.code), `${event}: ${JSON.stringify(r)}`).toBe(true);
    }
    expect(await conversationRow()).toEqual({ agent_id: team.alice.userId, status: 'assigned' });
    // and the admin-only REST routes refuse it
    expect((await send(B, { method: 'GET', path: '/api/agents/' + team.alice.userId + '/status-history', token })).status).toBe(403);
  });

  it('a promoted agent\'s old token and socket end too (the token named the old role)', async () => {
    const member = await memberOnB('agent');
    expect((await asAdmin('PATCH', `/api/agents/${member.id}`, { role: 'admin' })).status).toBe(200);
    expect(await within(member.disconnected, 2_000, 'the socket is closed')).toBe('io server disconnect');
    await expectRevoked(member.token);
    // a change that is not about rights (nickname) leaves sessions alone
    const token = (await login(member.email)).body.token as string;
    expect((await asAdmin('PATCH', `/api/agents/${member.id}`, { nickname: 'Renamed' })).status).toBe(200);
    expect((await send(B, { method: 'GET', path: '/api/auth/me', token })).status).toBe(200);
  });

  it('disabling signs out every socket on every process; a restore does not bring old tokens back', async () => {
    const member = await memberOnB('agent');
    const { socket: onA } = await rawConnect(A, { token: member.token });
    opened.push(onA);
    const closedOnA = new Promise<string>((resolve) => onA.once('disconnect', (reason) => resolve(reason)));

    const disabled = await asAdmin('POST', `/api/agents/${member.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ disabled: true, status: 'offline', desk: 'updated' });
    expect(await within(member.disconnected, 2_000, 'the socket on B is closed')).toBe('io server disconnect');
    expect(await within(closedOnA, 2_000, 'the socket on A is closed')).toBe('io server disconnect');
    await expectRevoked(member.token);
    expect((await login(member.email)).status).toBe(401);

    expect((await asAdmin('POST', `/api/agents/${member.id}/restore`)).status).toBe(200);
    await expectRevoked(member.token); // a token from before the disable stays dead
    const fresh = await login(member.email);
    expect(fresh.status).toBe(200);
    const { error } = await rawConnect(B, { token: fresh.body.token }).then((r) => { opened.push(r.socket); return r; });
    expect(error).toBeUndefined();
  });

  it('a password change signs out every session of the account', async () => {
    const member = await memberOnB('agent');
    const changed = await asAdmin('PATCH', `/api/agents/${member.id}`, { password: NEW_PASSWORD });
    expect(changed.status).toBe(200);
    expect(await within(member.disconnected, 2_000, 'the socket on B is closed')).toBe('io server disconnect');
    await expectRevoked(member.token);
    expect((await login(member.email)).status).toBe(401);
    expect((await login(member.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('closes a socket when its token expires (staff and visitor)', async () => {
    const key = new TextEncoder().encode(SECRET);
    const now = Math.floor(Date.now() / 1000);
    const { rows: [bob] } = await stack.database.pool.query('select token_version from users where id = $1', [team.bob.userId]);
    const shortStaff = await new SignJWT({ kind: 'staff', role: 'agent', ver: bob.token_version }).setProtectedHeader({ alg: 'HS256' })
      .setSubject(team.bob.userId).setIssuer('parley').setIssuedAt(now).setExpirationTime(now + 3).sign(key);
    const shortVisitor = await new SignJWT({ kind: 'visitor' }).setProtectedHeader({ alg: 'HS256' })
      .setSubject(visitor.visitorId).setIssuer('parley').setIssuedAt(now).setExpirationTime(now + 3).sign(key);
    const closed = await Promise.all([shortStaff, shortVisitor].map(async (token) => {
      const { socket, error } = await rawConnect(B, { token });
      opened.push(socket);
      expect(error).toBeUndefined();
      const reason = await within(new Promise<string>((resolve) => socket.once('disconnect', resolve)), 6_000, 'closed at expiry');
      return { reason, at: Date.now() / 1000 };
    }));
    for (const c of closed) {
      expect(c.reason).toBe('io server disconnect');
      expect(c.at).toBeGreaterThanOrEqual(now + 3 - 0.05);
    }
    // the long-lived sockets of the same users are still up
    expect(team.bob.socket.connected && visitor.socket.connected).toBe(true);
  });

  it('refuses a staff token without an expiry, even a validly signed one of the current version', async () => {
    const key = new TextEncoder().encode(SECRET);
    const { rows: [admin] } = await stack.database.pool.query('select token_version from users where id = $1', [team.admin.userId]);
    const claims = { kind: 'staff', role: 'admin', ver: admin.token_version };
    const noExp = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(team.admin.userId).setIssuer('parley').setIssuedAt().sign(key);
    const control = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(team.admin.userId).setIssuer('parley').setIssuedAt().setExpirationTime('1h').sign(key);
    expect((await send(A, { method: 'GET', path: '/api/auth/me', token: control })).status).toBe(200);
    expect((await send(A, { method: 'GET', path: '/api/auth/me', token: noExp })).status).toBe(401);
    const { socket, error } = await rawConnect(B, { token: noExp });
    socket.close();
    expect(error?.message).toMatch(/^unauthorized/);
  });

  it('bounds the sockets per visitor and per staff user with a clear refusal, and frees a place on close', async () => {
    for (const [who, token, max] of [['visitor', visitor.token, SOCKET_LIMITS.perVisitor], ['staff user', team.bob.token, SOCKET_LIMITS.perStaffUser]] as const) {
      // the visitor's own client and bob's client hold one socket each on A already
      const sockets: Socket[] = [];
      for (let i = 1; i < max; i++) {
        const r = await rawConnect(A, { token });
        opened.push(r.socket);
        expect(r.error, `${who} socket ${i + 1}`).toBeUndefined();
        sockets.push(r.socket);
      }
      const refused = await rawConnect(A, { token });
      expect(refused.error?.message, who).toMatch(new RegExp(`^too_many_connections: at most 3 connections at once per ${who}`));
      expect((refused.error as Error & { data?: { code?: string } }).data).toEqual({ code: 'too_many_connections' });
      sockets[0].close();
      await new Promise((r) => setTimeout(r, 200));
      const again = await rawConnect(A, { token });
      opened.push(again.socket);
      expect(again.error, `${who}: a closed socket frees its place`).toBeUndefined();
    }
  });
});
