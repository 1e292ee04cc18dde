/**
 * Issue 16, item 5: disabling an agent locks them out even while Temporal is unreachable. The API
 * reaches Temporal through a TCP proxy the test cuts (the worker keeps its own connection, so the desk
 * lives on): the admin's request answers within a few seconds with `202 { disabled: true, desk: 'pending' }`,
 * the agent's socket is closed and its token refused at once, and the desk is told once Temporal is back,
 * by an API process started after the outage (the catch-up is read from the database, not from memory).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiServer } from '../../api/server.js';
import { staffClient, type StaffClient } from '../helpers/clients.js';
import { SECRET, startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';
import { tcpProxy } from '../helpers/tcp-proxy.js';
import { send } from './lib/http.js';
import { rawConnect } from './lib/socket.js';

describe('disabling an agent while Temporal is unreachable', () => {
  let stack: Stack;
  let proxy: Awaited<ReturnType<typeof tcpProxy>>;
  let alice: StaffClient;
  let adminToken: string;

  beforeAll(async () => {
    proxy = await tcpProxy(inject('temporalAddress'));
    stack = await startStack({ apiTemporalAddress: proxy.address, deskReconcileMs: 60_000 });
    alice = await staffClient(stack.baseUrl, 'alice@parley.local');
    adminToken = (await send(stack.baseUrl, { method: 'POST', path: '/api/auth/login', json: { email: 'admin@parley.local', password: TEST_PASSWORD } })).body.token;
  });
  afterAll(async () => {
    alice?.close();
    await proxy?.restore().catch(() => undefined);
    await stack?.stop();
    await proxy?.close();
  });

  const presence = async () => (await stack.database.pool.query('select status from agent_presence where agent_id = $1', [alice.userId])).rows[0]?.status;
  const disabledLog = async () => Number((await stack.database.pool.query(`select count(*) from agent_status_log where user_id = $1 and reason = 'Account disabled'`, [alice.userId])).rows[0].count);

  it('locks the agent out at once, answers promptly with what is pending, and the desk catches up when Temporal is back', async () => {
    expect((await alice.setStatus('online')).ok).toBe(true);
    await expect.poll(presence, { timeout: 10_000 }).toBe('online');
    const disconnected = new Promise<string>((resolve) => alice.socket.once('disconnect', (reason) => resolve(reason)));

    await proxy.cut();
    const started = Date.now();
    const res = await send(stack.baseUrl, { method: 'POST', path: `/api/agents/${alice.userId}/disable`, token: adminToken });
    const tookMs = Date.now() - started;
    expect(tookMs, 'the admin gets an answer within a few seconds').toBeLessThan(5_000);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: alice.userId, disabled: true, desk: 'pending' });

    // Locked out from the database state alone.
    expect(await Promise.race([disconnected, new Promise((r) => setTimeout(() => r('still connected'), 2_000))])).toBe('io server disconnect');
    expect((await send(stack.baseUrl, { method: 'GET', path: '/api/auth/me', token: alice.token })).status).toBe(401);
    const { socket, error } = await rawConnect(stack.baseUrl, { token: alice.token });
    socket.close();
    expect(error?.message).toMatch(/^unauthorized/);
    expect((await send(stack.baseUrl, { method: 'POST', path: '/api/auth/login', json: { email: 'alice@parley.local', password: TEST_PASSWORD } })).status).toBe(401);
    // The desk did not hear of it yet.
    expect(await presence()).toBe('online');
    expect(await disabledLog()).toBe(0);

    // The API process goes away; Temporal comes back; a new API process puts the account offline at the desk.
    await stack.apis[0].close();
    stack.apis.splice(0, 1);
    await proxy.restore();
    const api = await createApiServer({
      database: stack.database, temporalAddress: proxy.address, namespace: 'default', taskQueue: stack.taskQueue, deskId: stack.deskId,
      temporalUiUrl: 'http://localhost:8233', secret: SECRET, deskReconcileMs: 60_000,
    });
    stack.apis.push(api);
    await expect.poll(presence, { timeout: 20_000, interval: 200 }).toBe('offline');
    expect(await disabledLog()).toBe(1);
  });
});
