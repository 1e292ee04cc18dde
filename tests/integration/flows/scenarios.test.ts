import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, staffClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { DEFAULT_FLOW } from '../../../domain/flow/default-flow.js';
import { FlowDefinitionSchema } from '../../../domain/flow/schema.js';
import { scriptOf } from '../../../domain/flow/scenarios.js';
import { FlowSimulation } from '../../../domain/flow/simulation.js';
import { adminToken } from './helpers.js';

/**
 * Issue 20: a flow's test scenarios through the real API and database: saved, listed, renamed, deleted; run on
 * publish, where a failing one blocks publishing with a message naming it, its step, the expected and actual text.
 */
describe('flow test scenarios', () => {
  let stack: Stack;
  let admin: string;
  const call = <T = any>(method: string, path: string, body?: unknown, token: string = admin) =>
    http<T>(stack.baseUrl, method, path, { token, ...(body === undefined ? {} : { body }) });

  /** The visitor picks "Leave a message" and gives an email and a note, recorded on the default flow. */
  function recorded() {
    const at = new Date('2026-01-07T10:00:00Z');
    const vars = { visitorName: 'Ada', channel: 'scenarios' };
    const sim = new FlowSimulation(FlowDefinitionSchema.parse(structuredClone(DEFAULT_FLOW)), { vars, locale: 'en', now: () => at });
    const steps = [sim.start(), sim.send({ kind: 'answer', text: 'Leave a message', choiceId: 'note' }), sim.send({ kind: 'answer', text: 'ada@example.com' })];
    return scriptOf(steps, { locale: 'en', at: at.toISOString(), vars });
  }

  /** A web hook on this machine, which the stack's allow-list names (PARLEY_OUTBOUND_ALLOW=127.0.0.1). */
  let hook: Server;
  let hookUrl: string;
  const seen: string[] = [];

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${body}`);
        if (req.url?.startsWith('/moved')) return void res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ plan: 'gold' }));
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    stack = await startStack({ outboundAllow: '127.0.0.1' });
    admin = await adminToken(stack);
    expect((await call('POST', '/api/flows', { id: 'scenarios', name: 'Scenarios', channel: 'scenarios' })).status).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
    hook?.close();
  });

  it('saves, lists, renames and deletes scenarios, refusing a taken name or a bad body and changing nothing', async () => {
    const saved = await call('POST', '/api/flows/scenarios/scenarios', { name: 'Leave a note', script: recorded() });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ flowId: 'scenarios', name: 'Leave a note', script: { locale: 'en', steps: [{}, {}] } });
    const other = await call('POST', '/api/flows/scenarios/scenarios', { name: 'Second', script: recorded() });
    expect(other.status).toBe(201);

    expect(await call('POST', '/api/flows/scenarios/scenarios', { name: ' Leave a note ', script: recorded() })).toMatchObject({
      status: 409, body: { error: { code: 'conflict', message: 'This flow already has a scenario named "Leave a note"' } },
    });
    expect(await call('PATCH', `/api/flows/scenarios/scenarios/${other.body.id}`, { name: 'Leave a note' })).toMatchObject({ status: 409 });
    const bad = await call('POST', '/api/flows/scenarios/scenarios', { name: 'Bad', script: { ...recorded(), steps: [{ input: { kind: 'shout' }, expect: [] }] } });
    expect(bad.status).toBe(400);
    expect((await call('POST', '/api/flows/nope/scenarios', { name: 'x', script: recorded() })).status).toBe(404);

    const renamed = await call('PATCH', `/api/flows/scenarios/scenarios/${other.body.id}`, { name: 'Renamed' });
    expect(renamed).toMatchObject({ status: 200, body: { name: 'Renamed' } });
    expect((await call('DELETE', `/api/flows/scenarios/scenarios/${other.body.id}`)).status).toBe(200);
    expect((await call('DELETE', `/api/flows/scenarios/scenarios/${other.body.id}`)).status).toBe(404);
    const list = await call<{ scenarios: Array<{ name: string }> }>('GET', '/api/flows/scenarios/scenarios');
    expect(list.body.scenarios.map((s) => s.name)).toEqual(['Leave a note']);

    const agent = await staffClient(stack.baseUrl, 'alice@parley.local');
    agent.close();
    expect((await call('GET', '/api/flows/scenarios/scenarios', undefined, agent.token)).status).toBe(403);
    expect((await call('POST', '/api/flows/scenarios/scenarios', { name: 'Agent', script: recorded() }, agent.token)).status).toBe(403);
  });

  it('publishes when every scenario passes, and the version keeps them', async () => {
    const published = await call('POST', '/api/flows/scenarios/publish', {});
    expect(published.status).toBe(201);
    expect(published.body.scenarios.map((s: { name: string }) => s.name)).toEqual(['Leave a note']);
    const version = await call('GET', `/api/flows/scenarios/versions/${published.body.version}`);
    expect(version.body.scenarios[0]).toMatchObject({ name: 'Leave a note', locale: 'en', start: expect.arrayContaining(['What can we help you with?\nTalk to an agent\nOpening hours\nLeave a message\nPick an option or type its number.']) });
  });

  it('refuses to publish a draft on which a scenario fails, naming the scenario, the step and both texts', async () => {
    const flow = await call('GET', '/api/flows/scenarios');
    const draft = structuredClone(flow.body.draft);
    draft.nodes.find((n: { id: string }) => n.id === 'ask-email').config.prompt = { en: 'Your email, please?', 'zh-CN': '请留下您的邮箱。' };
    expect((await call('PUT', '/api/flows/scenarios', { draft, revision: flow.body.revision })).status).toBe(200);

    const refused = await call('POST', '/api/flows/scenarios/publish', {});
    expect(refused.status).toBe(422);
    expect(refused.body.error).toEqual({
      code: 'scenario_failed',
      message: '1 test scenario failed; nothing was published. First: scenario "Leave a note", step 1 (the answer "Leave a message"): expected "What email address can we reply to?" but the flow said "Your email, please?"',
    });
    expect(refused.body.failures).toEqual([expect.objectContaining({
      name: 'Leave a note', step: 1, reason: 'texts', nodeId: 'ask-email', expected: ['What email address can we reply to?'], actual: ['Your email, please?'],
    })]);
    const versions = await call<{ versions: unknown[] }>('GET', '/api/flows/scenarios/versions');
    expect(versions.body.versions).toHaveLength(1);

    // re-recorded (the old one deleted, a new one saved on the new text): publishing goes through
    const list = await call<{ scenarios: Array<{ id: string }> }>('GET', '/api/flows/scenarios/scenarios');
    await call('DELETE', `/api/flows/scenarios/scenarios/${list.body.scenarios[0].id}`);
    const script = recorded();
    script.steps[0].expect = ['Your email, please?'];
    expect((await call('POST', '/api/flows/scenarios/scenarios', { name: 'Leave a note', script })).status).toBe(201);
    expect((await call('POST', '/api/flows/scenarios/publish', {})).status).toBe(201);
  });

  it('calls an http node\'s URL for the preview from the server, under the outbound policy the workflows use', async () => {
    const callFor = (body: Record<string, unknown>, token = admin) => call('POST', '/api/flows/scenarios/preview/http-call', body, token);
    const answered = await callFor({ url: `${hookUrl}/plan`, method: 'POST', payload: { order: '123456' }, timeoutMs: 2000 });
    expect(answered).toMatchObject({ status: 200, body: { outcome: 'answered', status: 200, body: '{"plan":"gold"}' } });
    expect(seen.at(-1)).toBe('POST /plan {"order":"123456"}');
    await callFor({ url: `${hookUrl}/plan`, method: 'GET', payload: { order: '42' }, timeoutMs: 2000 });
    expect(seen.at(-1)).toBe('GET /plan?order=42 ');

    // a private address not on the allow-list, the cloud metadata address, a redirect: refused, nothing reached
    const before = seen.length;
    for (const url of ['http://10.1.2.3/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x']) {
      const refused = await callFor({ url, method: 'GET', payload: {}, timeoutMs: 500 });
      expect(refused.body, url).toMatchObject({ outcome: 'refused' });
    }
    const moved = await callFor({ url: `${hookUrl}/moved`, method: 'GET', payload: {}, timeoutMs: 500 });
    expect(moved.body).toMatchObject({ outcome: 'answered', status: 302 }); // shown, never followed
    expect(seen.length).toBe(before + 1);

    expect((await callFor({ url: 'file:///etc/passwd', method: 'GET', payload: {}, timeoutMs: 500 })).status).toBe(400);
    expect((await call('POST', '/api/flows/nope/preview/http-call', { url: `${hookUrl}/plan`, method: 'GET', payload: {}, timeoutMs: 500 })).status).toBe(404);
    const agent = await staffClient(stack.baseUrl, 'alice@parley.local');
    agent.close();
    expect((await callFor({ url: `${hookUrl}/plan`, method: 'GET', payload: {}, timeoutMs: 500 }, agent.token)).status).toBe(403);
  });
});
