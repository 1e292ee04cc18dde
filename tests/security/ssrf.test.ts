/**
 * Issue 16, item 13 (SSRF): outbound calls — a flow's http node and the assignment webhook — refuse
 * loopback, link-local, private, unique-local, unspecified, multicast and IPv4-mapped forms of them,
 * at validation (URL literals, internal names) and at request time (every resolved address; the
 * connection goes to the checked address; no redirects), unless the operator's allow-list
 * (PARLEY_OUTBOUND_ALLOW) names them. A real hook server on 127.0.0.1 records every call it gets.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../config/env.js';
import { outboundRequest, OutboundRefusedError, STRICT_OUTBOUND } from '../../activities/outbound-http.js';
import { createFlow, publishFlowVersion } from '../../db/flows.js';
import { saveDispatcherSettings, loadDispatcherSettings } from '../../db/settings.js';
import { FlowDefinitionSchema, type FlowDefinitionInput } from '../../domain/flow/schema.js';
import { addressRefusal, parseOutboundAllow, urlRefusal } from '../../domain/outbound.js';
import { DEFAULT_DISPATCHER_SETTINGS } from '../../domain/desk/state.js';
import { http, staffClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { adminToken, end, flowOf, lines, msg, transcript, visitorOn } from '../integration/flows/helpers.js';

interface Hook { server: Server; port: number; hits: string[] }

async function startHook(): Promise<Hook> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.url?.startsWith('/redirect')) return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (req.url?.startsWith('/huge')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ blob: 'x'.repeat(200_000) }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ tier: 'gold', AgentIdList: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

/** A flow that calls `url` and says which edge it took. */
const callFlow = (url: string): FlowDefinitionInput => flowOf([
  { id: 'call', type: 'http', config: { url, method: 'GET', map: { tier: 'tier' }, timeoutMs: 20_000, maxAttempts: 3 }, edges: [{ on: 'next', to: 'ok' }, { on: 'failure', to: 'refused' }] },
  msg('ok', 'Tier ${tier}.', 'bye'),
  msg('refused', 'The lookup failed.', 'bye'),
  end('bye', 'Bye.'),
]);

let flowCounter = 0;
/** Publishes straight into the database, as a flow published before this check existed (or a name re-pointed since) would be. */
async function publishUnchecked(stack: Stack, url: string): Promise<string> {
  const n = ++flowCounter;
  await createFlow(stack.database.db, { id: `ssrf-${n}`, name: `SSRF ${n}`, channel: `ssrf-${n}`, draft: {} });
  await publishFlowVersion(stack.database.db, `ssrf-${n}`, FlowDefinitionSchema.parse(callFlow(url)), null);
  return `ssrf-${n}`;
}

/** The failure types of the conversation's callWebhook attempts, from its Temporal history. */
async function webhookFailures(stack: Stack, conversationId: string): Promise<string[]> {
  const history = await stack.temporal.workflow.getHandle(`conversation-${conversationId}`).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const failure = e.activityTaskFailedEventAttributes?.failure;
    return failure ? [failure.applicationFailureInfo?.type ?? failure.message ?? '?'] : [];
  });
}

describe('outbound address policy (pure)', () => {
  const strict = parseOutboundAllow('');
  it.each([
    ['127.0.0.1', 'loopback'], ['127.9.9.9', 'loopback'], ['::1', 'loopback'], ['169.254.169.254', 'linkLocal'], ['fe80::1', 'linkLocal'],
    ['10.0.0.1', 'private'], ['172.16.5.4', 'private'], ['192.168.1.1', 'private'], ['fd00::1', 'uniqueLocal'], ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'], ['224.0.0.1', 'multicast'], ['ff02::1', 'multicast'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:a9fe:a9fe', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'], ['64:ff9b::7f00:1', 'rfc6052'],
  ])('refuses %s (%s)', (ip, range) => {
    expect(addressRefusal(ip, strict)).toBe(`${range} address ${ip}`);
  });
  it('allows public unicast addresses, and internal ones the allow-list names', () => {
    expect(addressRefusal('93.184.216.34', strict)).toBeNull();
    expect(addressRefusal('2606:4700::1111', strict)).toBeNull();
    const allow = parseOutboundAllow('10.20.0.0/16, ::1, hooks.corp');
    expect(addressRefusal('10.20.3.4', allow)).toBeNull();
    expect(addressRefusal('::ffff:10.20.3.4', allow)).toBeNull();
    expect(addressRefusal('10.21.0.1', allow)).toBe('private address 10.21.0.1');
    expect(addressRefusal('::1', allow)).toBeNull();
    expect(urlRefusal('http://hooks.corp/x', allow)).toBeNull();
  });
  it.each([
    ['http://127.0.0.1/', /loopback address 127\.0\.0\.1/], ['http://2130706433/', /loopback/], ['http://0x7f.1/', /loopback/],
    ['http://[::1]:8080/', /loopback address ::1/], ['http://[::ffff:127.0.0.1]/', /loopback/], ['http://169.254.169.254/latest', /linkLocal/],
    ['http://localhost:3000/', /internal name/], ['http://api.localhost/', /internal name/], ['http://postgres:5432/', /internal name/],
    ['http://metadata.google.internal/', /internal name/], ['ftp://example.com/', /only http and https/], ['file:///etc/passwd', /only http and https/],
    ['http://user:pw@example.com/', /user name or password/],
  ])('refuses the URL %s before any request', (url, reason) => {
    expect(urlRefusal(url, strict)).toMatch(reason);
  });
  it('refuses an allow-list entry it cannot read, naming it', () => {
    expect(() => parseOutboundAllow('10.0.0.0/99')).toThrow('"10.0.0.0/99" is not a valid CIDR range');
    expect(() => parseOutboundAllow('hooks.example.com, bad host!')).toThrow('"bad host!" is not a host name, IP address or CIDR range');
    // …and a process configured with one does not start.
    const env = { DATABASE_URL: 'postgres://x/y', PARLEY_SECRET: 'a-secret-of-at-least-16' };
    expect(() => readEnv({ ...env, PARLEY_OUTBOUND_ALLOW: '127.0.0.1, 10.0.0.0/99' })).toThrow('PARLEY_OUTBOUND_ALLOW: allow-list entry "10.0.0.0/99" is not a valid CIDR range');
    expect(readEnv({ ...env, PARLEY_OUTBOUND_ALLOW: '127.0.0.1, ::1, hooks.corp' }).PARLEY_OUTBOUND_ALLOW).toBe('127.0.0.1, ::1, hooks.corp');
  });
});

describe('outbound requests resolve, check and connect to the checked address', () => {
  let hook: Hook;
  beforeAll(async () => { hook = await startHook(); });
  afterAll(() => { hook.server.closeAllConnections(); hook.server.close(); });
  /** A public-looking name that resolves to 127.0.0.1 (DNS rebinding or an internal record): the system resolver does not know it. */
  const rebinding = { resolve: async () => [{ address: '127.0.0.1', family: 4 }] };

  it('refuses a host name that resolves to 127.0.0.1, and the hook server gets nothing', async () => {
    const before = hook.hits.length;
    await expect(outboundRequest(`http://hooks.rebind.test:${hook.port}/lookup`, { method: 'GET', timeoutMs: 5000 }, { ...STRICT_OUTBOUND, ...rebinding }))
      .rejects.toThrow(OutboundRefusedError);
    await expect(outboundRequest(`http://hooks.rebind.test:${hook.port}/lookup`, { method: 'GET', timeoutMs: 5000 }, { ...STRICT_OUTBOUND, ...rebinding }))
      .rejects.toThrow('hooks.rebind.test resolves to a loopback address 127.0.0.1');
    expect(hook.hits.length).toBe(before);
  });

  it('refuses when any one of the addresses is internal', async () => {
    const mixed = { resolve: async () => [{ address: '93.184.216.34', family: 4 }, { address: '::1', family: 6 }] };
    await expect(outboundRequest(`http://mixed.example.com:${hook.port}/`, { method: 'GET', timeoutMs: 5000 }, { ...STRICT_OUTBOUND, ...mixed }))
      .rejects.toThrow('resolves to a loopback address ::1');
  });

  it('connects to the checked address when the allow-list names its range', async () => {
    const before = hook.hits.length;
    const res = await outboundRequest(`http://hooks.rebind.test:${hook.port}/lookup`, { method: 'GET', timeoutMs: 5000 }, { ...STRICT_OUTBOUND, ...rebinding, policy: parseOutboundAllow('127.0.0.0/8') });
    expect(res).toEqual({ status: 200, body: JSON.stringify({ tier: 'gold', AgentIdList: [] }) });
    expect(hook.hits.slice(before)).toEqual(['GET /lookup']);
  });

  it('does not follow a redirect, and stops reading an answer over the size limit', async () => {
    const allowed = { ...STRICT_OUTBOUND, policy: parseOutboundAllow('127.0.0.1') };
    expect((await outboundRequest(`http://127.0.0.1:${hook.port}/redirect`, { method: 'GET', timeoutMs: 5000 }, allowed)).status).toBe(302);
    await expect(outboundRequest(`http://127.0.0.1:${hook.port}/huge`, { method: 'GET', timeoutMs: 5000 }, { ...allowed, maxResponseBytes: 64 * 1024 }))
      .rejects.toThrow('more than the 65536 bytes allowed');
  });
});

describe('flow http node and assignment webhook without an allow-list', () => {
  let stack: Stack;
  let token: string;
  let hook: Hook;

  beforeAll(async () => {
    hook = await startHook();
    stack = await startStack();
    token = await adminToken(stack);
  });
  afterAll(async () => {
    await stack?.stop();
    hook?.server.closeAllConnections();
    hook?.server.close();
  });

  it.each([
    ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/lookup`],
    ['[::1]', (port: number) => `http://[::1]:${port}/lookup`],
    ['[::ffff:127.0.0.1]', (port: number) => `http://[::ffff:127.0.0.1]:${port}/lookup`],
    ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/'],
    ['localhost', (port: number) => `http://localhost:${port}/lookup`],
  ])('refuses to publish an http node calling %s, naming the node', async (_what, urlOf) => {
    const url = urlOf(hook.port);
    const id = `refuse-${++flowCounter}`;
    expect((await http(stack.baseUrl, 'POST', '/api/flows', { token, body: { id, name: id, channel: id, draft: callFlow(url) } })).status).toBe(201);
    const published = await http<{ error: { code: string }; problems: Array<{ nodeId: string; code: string; message: string }> }>(stack.baseUrl, 'POST', `/api/flows/${id}/publish`, { token, body: {} });
    expect(published.status).toBe(422);
    expect(published.body.problems).toEqual([{ nodeId: 'call', code: 'url_not_allowed', message: expect.stringContaining(`url ${url} cannot be called: it points at a`) }].map((p) =>
      url.includes('localhost') ? { ...p, message: expect.stringContaining('is an internal name') } : p));
  });

  it.each([
    ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/lookup`],
    ['[::ffff:7f00:1]', (port: number) => `http://[::ffff:7f00:1]:${port}/lookup`],
    ['localhost', (port: number) => `http://localhost:${port}/lookup`],
    ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/'],
  ])('a flow published without the check takes its failure edge at once for %s; the hook server gets nothing', async (_what, urlOf) => {
    const before = hook.hits.length;
    const channel = await publishUnchecked(stack, urlOf(hook.port));
    const visitor = await visitorOn(stack, channel);
    const started = Date.now();
    await visitor.waitForBody('end', undefined, 15_000);
    // Refused, not retried: three 20 s attempts to an address that never answers would take a minute.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(lines(await transcript(stack, visitor.conversation.id))).toEqual(['text: The lookup failed.', 'end(flow): Bye.']);
    expect(hook.hits.length).toBe(before);
    expect(await webhookFailures(stack, visitor.conversation.id)).toEqual(['WebhookRefused']); // one attempt: refused, not a network error
    visitor.close();
  });

  it('refuses an internal assignment webhook URL with a 400 naming the field, and changes nothing', async () => {
    const before = await loadDispatcherSettings(stack.database.db);
    for (const url of [`http://127.0.0.1:${hook.port}/assign`, 'http://169.254.169.254/', `http://[::1]:${hook.port}/`, 'http://localhost/']) {
      const res = await http<{ error: { code: string; message: string; field: string } }>(stack.baseUrl, 'PUT', '/api/settings/routing', { token, body: { strategy: 'webhook', assignWebhookUrl: url } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'bad_request', field: 'assignWebhookUrl', message: expect.stringMatching(/^body\.assignWebhookUrl: it( points at a|s host "localhost" is an internal name)/) });
    }
    expect(await loadDispatcherSettings(stack.database.db)).toEqual(before);
  });

  it('never calls an internal assignment webhook saved before the check; the visitor is still served by the default strategy', async () => {
    await saveDispatcherSettings(stack.database.db, { ...DEFAULT_DISPATCHER_SETTINGS, strategy: 'webhook', assignWebhookUrl: `http://127.0.0.1:${hook.port}/assign` });
    const alice = await staffClient(stack.baseUrl, 'alice@parley.local');
    try {
      expect(await alice.setStatus('online')).toMatchObject({ ok: true });
      const before = hook.hits.length;
      const handoff = ++flowCounter;
      await createFlow(stack.database.db, { id: `hand-${handoff}`, name: 'Handoff', channel: `hand-${handoff}`, draft: {} });
      await publishFlowVersion(stack.database.db, `hand-${handoff}`, FlowDefinitionSchema.parse(flowOf([{ id: 'h', type: 'handoff', config: { teamId: null, connected: 'With ${agentName}.' } }])), null);
      const visitor = await visitorOn(stack, `hand-${handoff}`);
      await alice.waitFor('offer', (o: { conversationId: string }) => o.conversationId === visitor.conversation.id);
      expect(await alice.accept(visitor.conversation.id)).toEqual({ ok: true });
      expect((await visitor.waitForBody('notice', (n) => n.text.startsWith('With '), 20_000)).text).toBe('With Alice.');
      expect(hook.hits.length).toBe(before);
      visitor.close();
    } finally {
      alice.close();
    }
  });
});

describe('flow http node and assignment webhook with the allow-list naming 127.0.0.1', () => {
  let stack: Stack;
  let token: string;
  let hook: Hook;

  beforeAll(async () => {
    hook = await startHook();
    stack = await startStack({ outboundAllow: '127.0.0.1' });
    token = await adminToken(stack);
  });
  afterAll(async () => {
    await stack?.stop();
    hook?.server.closeAllConnections();
    hook?.server.close();
  });

  it('publishes and calls the allowed hook, but still refuses what the list does not name', async () => {
    const id = 'allowed';
    expect((await http(stack.baseUrl, 'POST', '/api/flows', { token, body: { id, name: id, channel: id, draft: callFlow(`http://127.0.0.1:${hook.port}/lookup`) } })).status).toBe(201);
    expect((await http(stack.baseUrl, 'POST', `/api/flows/${id}/publish`, { token, body: {} })).status).toBe(201);
    const visitor = await visitorOn(stack, id);
    await visitor.waitForBody('end');
    expect(lines(await transcript(stack, visitor.conversation.id))).toEqual(['text: Tier gold.', 'end(flow): Bye.']);
    expect(hook.hits).toContain('GET /lookup');
    visitor.close();

    const other = await http(stack.baseUrl, 'PUT', '/api/settings/routing', { token, body: { assignWebhookUrl: 'http://169.254.169.254/' } });
    expect(other.status).toBe(400);
    expect((await http(stack.baseUrl, 'PUT', '/api/settings/routing', { token, body: { assignWebhookUrl: `http://127.0.0.1:${hook.port}/assign` } })).status).toBe(200);
  });

  it('calls the allowed assignment webhook', async () => {
    await saveDispatcherSettings(stack.database.db, { ...DEFAULT_DISPATCHER_SETTINGS, strategy: 'webhook', assignWebhookUrl: `http://127.0.0.1:${hook.port}/assign` });
    const alice = await staffClient(stack.baseUrl, 'alice@parley.local');
    try {
      expect(await alice.setStatus('online')).toMatchObject({ ok: true });
      await createFlow(stack.database.db, { id: 'hand', name: 'Handoff', channel: 'hand', draft: {} });
      await publishFlowVersion(stack.database.db, 'hand', FlowDefinitionSchema.parse(flowOf([{ id: 'h', type: 'handoff', config: { teamId: null, connected: 'With ${agentName}.' } }])), null);
      const visitor = await visitorOn(stack, 'hand');
      await alice.waitFor('offer', (o: { conversationId: string }) => o.conversationId === visitor.conversation.id);
      expect(await alice.accept(visitor.conversation.id)).toEqual({ ok: true });
      await visitor.waitForBody('notice', (n) => n.text.startsWith('With '), 20_000);
      expect(hook.hits.some((h) => h.startsWith('POST /assign?CallbackCommand=ChatBot.OnAssignAgent'))).toBe(true); // Tencent's query parameters
      visitor.close();
    } finally {
      alice.close();
    }
  });
});
