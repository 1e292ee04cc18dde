import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOW_ERROR_TEXT } from '../../../domain/flow/engine.js';
import { MAX_CHAINED_HTTP_CALLS } from '../../../domain/flow/limits.js';
import type { ConversationSummary } from '../../../domain/conversation.js';
import { staffClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, end, flowOf, lines, msg, publishFlow, say, transcript, visitorOn, type NodeInput } from './helpers.js';

interface Hit { path: string; method: string; body: unknown; query: Record<string, string> }

/** Http nodes: the flow calls a real web hook, maps its JSON answer into variables, or takes `failure` after the retries. */
describe('http node', () => {
  let stack: Stack;
  let token: string;
  let server: Server;
  let base: string;
  const hits: Hit[] = [];
  let releaseSlowHook!: () => void;
  const slowHookReleased = new Promise<void>((resolve) => { releaseSlowHook = resolve; });

  const readBody = (req: IncomingMessage) => new Promise<string>((resolve) => {
    let data = '';
    req.on('data', (c: Buffer) => { data += c.toString(); });
    req.on('end', () => resolve(data));
  });

  beforeAll(async () => {
    // A failing handler stays an unhandled rejection, which vitest reports as an error.
    server = createServer((req, res) => void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const text = await readBody(req);
      hits.push({ path: url.pathname, method: req.method ?? '', body: text ? JSON.parse(text) : null, query: Object.fromEntries(url.searchParams) });
      if (url.pathname === '/lookup') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ customer: { tier: 'gold', orders: [{ id: 'A-1' }, { id: 'A-2' }], points: 120 } }));
      } else if (url.pathname === '/slow') {
        await slowHookReleased;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ tier: 'silver' }));
      } else if (url.pathname === '/status') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ state: `shipped-${url.searchParams.get('order')}` }));
      } else {
        res.writeHead(503);
        res.end('down');
      }
    })());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stack = await startStack({ outboundAllow: '127.0.0.1' }); // the hook server is local: the operator allows it
    token = await adminToken(stack);
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  const orderForm: NodeInput = { id: 'order', type: 'form', config: { prompt: 'Order number?', formType: 'text', variable: 'order' }, edges: [{ on: 'next', to: 'call' }] };

  it('posts the chosen variables and maps the JSON answer into variables', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([
      orderForm,
      {
        id: 'call', type: 'http',
        config: { url: `${base}/lookup`, method: 'POST', send: ['order', 'visitorName'], map: { tier: 'customer.tier', first: 'customer.orders.0.id', points: 'customer.points' } },
        edges: [{ on: 'next', to: 'status' }, { on: 'failure', to: 'failed' }],
      },
      {
        id: 'status', type: 'http',
        config: { url: `${base}/status`, method: 'GET', send: ['order'], map: { state: 'state' } },
        edges: [{ on: 'next', to: 'done' }, { on: 'failure', to: 'failed' }],
      },
      end('done', '${visitorName}, you are ${tier} with ${points} points; first order ${first}; ${order} is ${state}.'),
      end('failed', 'Our system is unavailable.'),
    ]));
    const visitor = await visitorOn(stack, channel, 'Ada');
    await visitor.waitForBody('form');
    await say(visitor, 'A-17');
    expect((await visitor.waitForBody('end')).text).toBe('Ada, you are gold with 120 points; first order A-1; A-17 is shipped-A-17.');
    expect(hits.filter((h) => h.path === '/lookup')).toEqual([{ path: '/lookup', method: 'POST', body: { order: 'A-17', visitorName: 'Ada' }, query: {} }]);
    expect(hits.filter((h) => h.path === '/status')).toEqual([{ path: '/status', method: 'GET', body: null, query: { order: 'A-17' } }]);
    visitor.close();
  });

  // A conversation's first state is written with its welcome; a flow that opens with a hook has none
  // to say first, and its conversation must still reach the admins' live list while the hook answers.
  it('shows a conversation that opens with a slow hook to admins before the hook answers', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([
      { id: 'call', type: 'http', config: { url: `${base}/slow`, method: 'GET', map: { tier: 'tier' }, timeoutMs: 20_000 }, edges: [{ on: 'next', to: 'done' }, { on: 'failure', to: 'done' }] },
      end('done', 'Tier ${tier}.'),
    ]));
    const admin = await staffClient(stack.baseUrl, 'admin@parley.local');
    try {
      const visitor = await visitorOn(stack, channel, 'Ada');
      const listed = await admin.waitFor<ConversationSummary>('conversation:updated', (c) => c.id === visitor.conversation.id);
      expect(listed.status).toBe('bot');
      expect(lines(await transcript(stack, visitor.conversation.id)), 'the hook has not answered yet').toEqual([]);
      releaseSlowHook();
      expect((await visitor.waitForBody('end')).text).toBe('Tier silver.');
      visitor.close();
    } finally {
      releaseSlowHook();
      admin.close();
    }
  });

  it('retries a failing hook up to maxAttempts, then follows the failure edge', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([
      orderForm,
      {
        id: 'call', type: 'http',
        config: { url: `${base}/broken`, send: ['order'], map: { tier: 'customer.tier' }, maxAttempts: 2, timeoutMs: 1000 },
        edges: [{ on: 'next', to: 'done' }, { on: 'failure', to: 'sorry' }],
      },
      end('done', 'Tier ${tier}.'),
      msg('sorry', 'We could not look up ${order} right now.', 'bye'),
      end('bye', 'Goodbye.'),
    ]));
    const visitor = await visitorOn(stack, channel, 'Ada');
    await visitor.waitForBody('form');
    await say(visitor, 'B-2');
    await visitor.waitForBody('end');
    expect(lines(await transcript(stack, visitor.conversation.id))).toEqual([
      'form: Order number?', 'text: B-2', 'text: We could not look up B-2 right now.', 'end(flow): Goodbye.',
    ]);
    expect(hits.filter((h) => h.path === '/broken')).toHaveLength(2);
    visitor.close();
  });

  it('stops a flow that loops through http nodes without the visitor, instead of calling the hook forever', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([
      msg('hi', 'Checking…', 'poll'),
      { id: 'poll', type: 'http', config: { url: `${base}/status?loop=1`, method: 'GET' }, edges: [{ on: 'next', to: 'poll' }] },
    ]));
    const before = hits.filter((h) => h.query.loop).length;
    const visitor = await visitorOn(stack, channel, 'Ada');
    const end = await visitor.waitForBody('end');
    expect(end.closedBy).toBe('flow');
    expect(lines(await transcript(stack, visitor.conversation.id))).toEqual([
      'text: Checking…', `notice: ${FLOW_ERROR_TEXT}`, 'end(flow): The conversation has ended. Thank you for contacting us.',
    ]);
    expect(hits.filter((h) => h.query.loop).length - before).toBe(MAX_CHAINED_HTTP_CALLS);
    visitor.close();
  });
});
