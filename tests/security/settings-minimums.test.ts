/**
 * Issue 16, item 13 (settings): timeouts have sane minimums. An offer timeout of 1e-9 s would make
 * every offer expire at once and bounce the conversation between agents in a tight loop of desk tasks;
 * a queue reminder every few milliseconds would flood every waiting visitor. Refused through the REST
 * API with a clear 400 (routing) or a flow problem (flow settings), and nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatcherSettings } from '../../domain/routing.js';
import { http } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { adminToken, end, flowOf, msg } from '../integration/flows/helpers.js';

describe('settings minimums', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack();
    token = await adminToken(stack);
  });
  afterAll(async () => { await stack?.stop(); });

  const routing = async () => (await http<DispatcherSettings>(stack.baseUrl, 'GET', '/api/settings/routing', { token })).body;
  const put = (body: Partial<DispatcherSettings>) => http<{ error: { code: string; message: string; field?: string } }>(stack.baseUrl, 'PUT', '/api/settings/routing', { token, body });

  it.each<[keyof DispatcherSettings, number, string]>([
    ['offerTimeoutSec', 1e-9, 'must be at least 5 s'],
    ['offerTimeoutSec', 0, 'must be at least 5 s'],
    ['offerTimeoutSec', 4, 'must be at least 5 s'],
    ['offerTimeoutSec', 7.5, 'must be a whole number of seconds'],
    ['offerTimeoutSec', 3601, 'must be at most 3600 s'],
    ['transferTimeoutSec', 1e-9, 'must be at least 5 s'],
    ['transferTimeoutSec', 4.99, 'must be at least 5 s'],
    ['disconnectGraceSec', 0.001, 'must be at least 1 s'],
    ['disconnectGraceSec', 1.5, 'must be a whole number of seconds'],
  ])('refuses %s = %s with a 400, and changes nothing', async (field, value, message) => {
    const before = await routing();
    const res = await put({ [field]: value, strategy: 'round-robin' });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'bad_request', message: `body.${field}: ${message}`, field });
    expect(await routing()).toEqual(before);
  });

  it('accepts whole seconds from the minimum up', async () => {
    const res = await put({ offerTimeoutSec: 5, transferTimeoutSec: 5, disconnectGraceSec: 1 });
    expect(res.status).toBe(200);
    expect(await routing()).toMatchObject({ offerTimeoutSec: 5, transferTimeoutSec: 5, disconnectGraceSec: 1 });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a visitor timeout of 1e-9 s', { visitorTimeoutSec: 1e-9 }, 'settings.visitorTimeoutSec: must be at least 1 s'],
    ['a fractional idle timeout', { waitingIdleSec: 2.5 }, 'settings.waitingIdleSec: must be a whole number of seconds'],
    ['a queue reminder every second', { queueReminderSec: 1 }, 'settings.queueReminderSec: must be at least 5 s'],
    ['a visitor reminder of 0 s', { visitorReminderSec: 0 }, 'settings.visitorReminderSec: must be at least 1 s'],
    ['a rating window of 1e300 s', { rating: { enabled: true, validitySec: 1e300 } }, 'settings.rating.validitySec: must be at most 2592000 s (30 days)'],
  ])('refuses to publish a flow with %s, and publishes nothing', async (_what, settings, message) => {
    const id = `timers-${Math.random().toString(36).slice(2, 8)}`;
    const draft = { ...flowOf([msg('hi', 'Hi', 'bye'), end('bye')]), settings };
    expect((await http(stack.baseUrl, 'POST', '/api/flows', { token, body: { id, name: id, channel: id, draft } })).status).toBe(201);
    const published = await http<{ error: { code: string }; problems: Array<{ nodeId: string | null; code: string; message: string }> }>(stack.baseUrl, 'POST', `/api/flows/${id}/publish`, { token, body: {} });
    expect(published.status).toBe(422);
    // The first problem says it; a value that is also not a whole number gets that problem too.
    expect(published.body.problems[0]).toEqual({ nodeId: null, code: 'schema_error', message });
    const field = message.split(':')[0];
    for (const p of published.body.problems) expect(p.message.startsWith(`${field}: `)).toBe(true);
    expect((await http<{ versions: unknown[] }>(stack.baseUrl, 'GET', `/api/flows/${id}/versions`, { token })).body.versions).toEqual([]);
  });
});
