/**
 * Records workflow histories for the replay tests (tests/replay/replay.test.ts).
 *
 *   npx tsx scripts/record-histories.ts --release 0.2          # all scenarios
 *   npx tsx scripts/record-histories.ts --release 0.2 --only rating,http
 *
 * Starts its own Temporal dev server and PostgreSQL, runs scripted conversations on a real desk
 * (worker + API, driven over HTTP and Socket.IO like the apps do) and saves each workflow's history as
 * tests/replay/histories/<release>/<workflow>-<scenario>.json (see tests/replay/history-file.ts for the
 * format). Together the scenarios take every path of both workflows (docs/versioning.md). Other
 * releases' sets are kept: they are what workflows started on that release look like, and the current
 * code must replay them as long as such workflows may be running.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { saveConversationSettings } from '../db/conversation-settings.js';
import type { FlowDefinitionInput } from '../domain/flow/schema.js';
import type { MessageBody } from '../domain/messages.js';
import { loadDispatcherSettings, saveDispatcherSettings } from '../db/settings.js';
import { dispatcherWorkflowId, settingsChangedSignal } from '../domain/contracts/dispatcher-workflow.js';
import { DEFAULT_DISPATCHER_SETTINGS, type DispatcherSettings } from '../domain/desk/state.js';
import { DEFAULT_FLOW } from '../domain/flow/default-flow.js';
import { emitAck, http, staffClient, visitorClient, type StaffClient, type VisitorClient } from '../tests/helpers/clients.js';
import { startStack, type Stack } from '../tests/helpers/stack.js';
import { historyToFile } from '../tests/replay/history-file.js';
import { PROJECT_ROOT } from './lib/paths.js';
import { freePort } from './lib/ports.js';
import { startEmbeddedPostgres } from './lib/postgres.js';
import { ensureTemporalCli } from './lib/temporal-cli.js';
import { startTemporalDevServer } from './lib/temporal-server.js';

const HISTORIES_DIR = path.join(PROJECT_ROOT, 'tests', 'replay', 'histories');

const { values: args } = parseArgs({
  options: {
    release: { type: 'string' },
    only: { type: 'string' },
  },
});
const release = args.release ?? '';
if (!/^\d+\.\d+$/.test(release)) {
  console.error('usage: npx tsx scripts/record-histories.ts --release <major.minor> [--only scenario,scenario]');
  process.exit(2);
}
const only = args.only ? new Set(args.only.split(',')) : null;

Runtime.install({ logger: new DefaultLogger('ERROR') }); // expected activity failures (web hooks answering 503) would flood WARN

interface Ctx {
  stack: Stack;
  admin: string;
  alice: StaffClient;
  bob: StaffClient;
  /** Saves the history of a workflow run (latest run unless `runId`). */
  save(workflow: 'conversation' | 'dispatcher', scenario: string, handle: WorkflowHandle): Promise<void>;
}

let flowCounter = 0;
async function publish(ctx: Ctx, definition: FlowDefinitionInput): Promise<string> {
  const n = ++flowCounter;
  const channel = `record-${n}`;
  const created = await http(ctx.stack.baseUrl, 'POST', '/api/flows', { token: ctx.admin, body: { id: `record-${n}`, name: `Recording ${n}`, channel, draft: definition } });
  if (created.status !== 201) throw new Error(`create flow: ${JSON.stringify(created.body)}`);
  const published = await http(ctx.stack.baseUrl, 'POST', `/api/flows/record-${n}/publish`, { token: ctx.admin, body: {} });
  if (published.status !== 201) throw new Error(`publish flow: ${JSON.stringify(published.body)}`);
  return channel;
}

const body = <K extends MessageBody['kind']>(v: VisitorClient, kind: K, pred: (b: Extract<MessageBody, { kind: K }>) => boolean = () => true) => v.waitForBody(kind, pred, 60_000);
const must = async (what: string, p: Promise<{ ok: boolean }>) => {
  const res = await p;
  if (!res.ok) throw new Error(`${what}: ${JSON.stringify(res)}`);
};
const handleOf = (ctx: Ctx, v: VisitorClient) => ctx.stack.temporal.workflow.getHandle(v.conversation.workflowId);
/** Waits for the workflow to complete (rating windows in these scenarios are short). */
const completed = (ctx: Ctx, v: VisitorClient) => handleOf(ctx, v).result();

/** `agent` takes the visitor's offered conversation; resolves when the visitor is told the agent's name. */
async function accept(agent: StaffClient, agentName: string, v: VisitorClient): Promise<void> {
  await agent.waitFor('offer', (o: { conversationId: string }) => o.conversationId === v.conversation.id, 60_000);
  await must('accept', agent.accept(v.conversation.id));
  await body(v, 'notice', (n) => n.text.includes(agentName));
}

/** The desk's routing settings while recording (the stack starts with these). */
const ROUTING = { ...DEFAULT_DISPATCHER_SETTINGS, serviceMode: 'manual' as const, offerTimeoutSec: 2 };

async function routing(ctx: Ctx, settings: DispatcherSettings): Promise<void> {
  await saveDispatcherSettings(ctx.stack.database.db, settings);
  await ctx.stack.temporal.workflow.getHandle(dispatcherWorkflowId(ctx.stack.deskId)).signal(settingsChangedSignal, settings);
}

const offersOf = (agent: StaffClient, v: VisitorClient) => agent.seen.filter((s) => s.event === 'offer' && (s.payload as { conversationId: string }).conversationId === v.conversation.id).length;
/** The agent who gets the visitor's next offer, after `before` offers each (Alice's, Bob's). */
async function nextOffer(ctx: Ctx, v: VisitorClient, before: [number, number] = [0, 0]): Promise<StaffClient> {
  for (;;) {
    if (offersOf(ctx.alice, v) > before[0]) return ctx.alice;
    if (offersOf(ctx.bob, v) > before[1]) return ctx.bob;
    await new Promise((r) => setTimeout(r, 100));
  }
}
const nameOf = (ctx: Ctx, agent: StaffClient) => (agent === ctx.alice ? 'Alice' : 'Bob');

const scenarios: Record<string, (ctx: Ctx) => Promise<void>> = {
  /** Message, menu, condition and rating nodes; a hand-off that fails (nobody online) and resumes the flow. */
  async nodes(ctx) {
    const channel = await publish(ctx, {
      start: 'hello',
      nodes: [
        { id: 'hello', type: 'message', config: { text: 'Hello ${visitorName}.' }, edges: [{ on: 'next', to: 'menu' }] },
        { id: 'menu', type: 'menu', config: { header: 'How can we help?', items: [{ id: 'agent', content: 'Agent' }, { id: 'rate', content: 'Rate us' }] }, edges: [{ on: 'agent', to: 'handoff' }, { on: 'rate', to: 'rate' }] },
        { id: 'handoff', type: 'handoff', config: { teamId: 'support', failed: 'Nobody is online.' }, edges: [{ on: 'failed', to: 'hours' }] },
        { id: 'hours', type: 'condition', config: { all: [{ op: 'workingHours' }] }, edges: [{ on: 'true', to: 'menu' }, { on: 'false', to: 'menu' }] },
        { id: 'rate', type: 'rating', config: { text: 'Thanks for visiting.' } },
      ],
      settings: { rating: { enabled: true, validitySec: 2 } },
    });
    await must('alice offline', ctx.alice.setStatus('offline'));
    await must('bob offline', ctx.bob.setStatus('offline'));
    await routing(ctx, { ...ROUTING, handoffFailsWhenNobodyOnline: true });
    try {
      const v = await visitorClient(ctx.stack.baseUrl, 'Node Walker', { channel });
      await body(v, 'menu');
      await must('send', v.send('Agent', 'agent'));
      await body(v, 'notice', (n) => n.text === 'Nobody is online.');
      await v.waitFor('message', () => v.messages().filter((m) => m.body.kind === 'menu').length >= 2, 60_000);
      await must('send', v.send('Rate us', 'rate'));
      await body(v, 'rating-invite');
      await must('rate', v.rate(3));
      await body(v, 'rating-result');
      await completed(ctx, v);
      await ctx.save('conversation', 'nodes', handleOf(ctx, v));
      v.close();
    } finally {
      await routing(ctx, ROUTING);
    }
  },

  /** Forms with a refused answer, the queue and its reminder, an agent, the visitor reminder and timeout, the rating window. */
  async 'form-timers'(ctx) {
    const channel = await publish(ctx, {
      start: 'name',
      nodes: [
        { id: 'name', type: 'form', config: { prompt: 'Your name?', formType: 'text', variable: 'name', rules: [{ type: 'regex', pattern: '^[A-Za-z ]+$', message: 'Letters only.' }] }, edges: [{ on: 'next', to: 'topic' }] },
        { id: 'topic', type: 'form', config: { prompt: 'Topic, ${name}?', formType: 'options', options: ['Billing', 'Other'], variable: 'topic' }, edges: [{ on: 'next', to: 'handoff' }] },
        { id: 'handoff', type: 'handoff', config: { teamId: 'support', connected: '${agentName} will help with ${topic}.' } },
      ],
      settings: {
        queueReminderSec: 5, visitorReminderSec: 1, visitorTimeoutSec: 2,
        rating: { enabled: true, afterAutoClose: true, validitySec: 2 },
      },
    });
    await must('alice away', ctx.alice.setStatus('away'));
    const v = await visitorClient(ctx.stack.baseUrl, 'Form Timer', { channel });
    await body(v, 'form');
    await must('send', v.send('R2D2'));
    await body(v, 'notice');
    await must('send', v.send('Ada'));
    await body(v, 'form', (f) => f.nodeId === 'topic');
    await must('send', v.send('Billing', '0'));
    await body(v, 'queue');
    await v.waitFor('message', () => v.messages().filter((m) => m.body.kind === 'queue').length >= 2, 60_000); // the reminder
    await must('alice online', ctx.alice.setStatus('online'));
    await accept(ctx.alice, 'Alice', v);
    await must('agent message', ctx.alice.send(v.conversation.id, 'Hello Ada'));
    await body(v, 'timeout');
    await completed(ctx, v);
    await ctx.save('conversation', 'form-timers', handleOf(ctx, v));
    v.close();
  },

  /** The default flow: menu → queue → agent → chat → agent closes → rating → window ends. */
  async 'thin-slice'(ctx) {
    const channel = await publish(ctx, { ...DEFAULT_FLOW, settings: { rating: { validitySec: 2 } } });
    const v = await visitorClient(ctx.stack.baseUrl, 'Grace', { channel });
    const menu = await body(v, 'menu');
    const talk = menu.items.find((i) => i.id === 'agent')!;
    await must('send', v.send(talk.content, talk.id));
    await accept(ctx.alice, 'Alice', v);
    await must('agent message', ctx.alice.send(v.conversation.id, 'Hello Grace, how can I help?'));
    await must('send', v.send('My order is late'));
    await ctx.alice.waitFor('message', (m: { body: { text?: string } }) => m.body.text === 'My order is late', 60_000);
    await must('close', ctx.alice.closeConversation(v.conversation.id));
    await body(v, 'rating-invite');
    await must('rate', v.rate(5, 'Quick and kind'));
    await body(v, 'rating-result');
    await completed(ctx, v);
    await ctx.save('conversation', 'thin-slice', handleOf(ctx, v));
    v.close();
  },

  /** Ratings: two submissions under "last counts", a retried one, then the window closes. */
  async rating(ctx) {
    const channel = await publish(ctx, {
      start: 'bye', nodes: [{ id: 'bye', type: 'end', config: { text: 'Bye ${visitorName}.' } }],
      settings: { rating: { enabled: true, policy: 'last', validitySec: 3 } },
    });
    const v = await visitorClient(ctx.stack.baseUrl, 'Rater', { channel });
    await body(v, 'rating-invite');
    await must('rate', v.rate(2));
    const requestId = randomUUID();
    for (let i = 0; i < 2; i++) {
      const res = await http(ctx.stack.baseUrl, 'POST', `/api/conversations/${v.conversation.id}/rating`, { token: v.token, body: { score: 5, comment: 'Better', requestId } });
      if (res.status !== 200) throw new Error(`rate: ${JSON.stringify(res.body)}`);
    }
    await completed(ctx, v);
    await ctx.save('conversation', 'rating', handleOf(ctx, v));
    v.close();
  },

  /** Web hooks: a successful call mapped into variables, a failing one retried then the failure edge. */
  async http(ctx) {
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/ok')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ customer: { tier: 'gold' } }));
      } else {
        res.writeHead(503);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const channel = await publish(ctx, {
        start: 'order',
        nodes: [
          { id: 'order', type: 'form', config: { prompt: 'Order?', formType: 'text', variable: 'order' }, edges: [{ on: 'next', to: 'ok' }] },
          { id: 'ok', type: 'http', config: { url: `${base}/ok`, send: ['order'], map: { tier: 'customer.tier' } }, edges: [{ on: 'next', to: 'broken' }] },
          { id: 'broken', type: 'http', config: { url: `${base}/broken`, maxAttempts: 2, timeoutMs: 1000 }, edges: [{ on: 'failure', to: 'bye' }] },
          { id: 'bye', type: 'end', config: { text: 'Tier ${tier}; lookup failed.' } },
        ],
        settings: { rating: { enabled: false } },
      });
      const v = await visitorClient(ctx.stack.baseUrl, 'Hooked', { channel });
      await body(v, 'form');
      await must('send', v.send('A-17'));
      await body(v, 'end');
      await completed(ctx, v);
      await ctx.save('conversation', 'http', handleOf(ctx, v));
      v.close();
    } finally {
      server.close();
    }
  },

  /** A long form conversation continuing as new: the first run (ends in continue-as-new) and the last (starts carried). */
  async 'continue-as-new'(ctx) {
    await saveConversationSettings(ctx.stack.database.db, { historyLimit: 20 });
    try {
      const questions = ['q1', 'q2', 'q3', 'q4'];
      const channel = await publish(ctx, {
        start: 'q1',
        variables: [],
        nodes: [
          ...questions.map((q, i) => ({ id: q, type: 'form' as const, config: { prompt: `Question ${i + 1}?`, formType: 'text' as const, variable: q }, edges: [{ on: 'next', to: questions[i + 1] ?? 'bye' }] })),
          { id: 'bye', type: 'end', config: { text: '${q1} ${q2} ${q3} ${q4}' } },
        ],
        settings: { rating: { enabled: true, validitySec: 6 } },
      });
      const v = await visitorClient(ctx.stack.baseUrl, 'Long Talker', { channel });
      const firstRunId = (await handleOf(ctx, v).describe()).runId;
      for (const [i, answer] of ['one', 'two', 'three', 'four'].entries()) {
        await body(v, 'form', (f) => f.prompt === `Question ${i + 1}?`);
        await must('send', v.send(answer));
      }
      await body(v, 'rating-invite');
      await must('rate', v.rate(4));
      await completed(ctx, v);
      const first = ctx.stack.temporal.workflow.getHandle(v.conversation.workflowId, firstRunId);
      if ((await first.describe()).status.name !== 'CONTINUED_AS_NEW') throw new Error('the conversation did not continue as new');
      await ctx.save('conversation', 'continue-as-new-first-run', first);
      await ctx.save('conversation', 'continue-as-new-last-run', handleOf(ctx, v));
      v.close();
    } finally {
      await saveConversationSettings(ctx.stack.database.db, {});
    }
  },

  /** Transfers: to an agent (confirmed), then to a team nobody else can serve now (requeued, offered again); the visitor closes. */
  async transfer(ctx) {
    const channel = await publish(ctx, { start: 'handoff', nodes: [{ id: 'handoff', type: 'handoff', config: { teamId: 'support' } }], settings: { rating: { enabled: false } } });
    await must('alice online', ctx.alice.setStatus('online'));
    await must('bob online', ctx.bob.setStatus('online'));
    const v = await visitorClient(ctx.stack.baseUrl, 'Transferred', { channel });
    const cid = v.conversation.id;
    const holder = await nextOffer(ctx, v);
    await must('accept', holder.accept(cid));
    await body(v, 'notice', (n) => n.text.includes(nameOf(ctx, holder)));
    const target = holder === ctx.alice ? ctx.bob : ctx.alice;
    const asked = await emitAck<{ ok: boolean; transferId: string }>(holder.socket, 'agent:transfer', { conversationId: cid, toAgentId: target.userId });
    if (!asked.ok) throw new Error(`transfer: ${JSON.stringify(asked)}`);
    await target.waitFor('transfer:request', (t: { conversationId: string }) => t.conversationId === cid, 60_000);
    await must('answer', emitAck(target.socket, 'agent:transfer-answer', { transferId: asked.transferId, accept: true }));
    await body(v, 'transfer', (t) => t.toAgentName === nameOf(ctx, target));
    // nobody else in the team can take it now: it waits in the team's queue until the first agent is back
    await must('holder offline', holder.setStatus('offline'));
    const before: [number, number] = [offersOf(ctx.alice, v), offersOf(ctx.bob, v)];
    await must('to team', emitAck(target.socket, 'agent:transfer', { conversationId: cid, toTeamId: 'support' }));
    await body(v, 'transfer', (t) => t.toTeamName !== undefined);
    await must('holder online', holder.setStatus('online'));
    const next = await nextOffer(ctx, v, before);
    await must('accept', next.accept(cid));
    await v.waitFor('message', () => v.messages().filter((m) => m.body.kind === 'notice' && m.body.text.includes(nameOf(ctx, next))).length >= (next === holder ? 2 : 1), 60_000);
    await must('visitor close', v.socket.timeout(20_000).emitWithAck('visitor:close', {}));
    await completed(ctx, v);
    await ctx.save('conversation', 'transfer', handleOf(ctx, v));
    v.close();
  },

  /** The desk's dispatcher: offers accepted, rejected and expired, agents changing status, an agent's close, conversations released. */
  async dispatcher(ctx) {
    const channel = await publish(ctx, { start: 'handoff', nodes: [{ id: 'handoff', type: 'handoff', config: { teamId: 'support' } }], settings: { rating: { enabled: false } } });
    await must('bob online', ctx.bob.setStatus('online'));
    const visitors = [];
    for (const name of ['D One', 'D Two', 'D Three']) visitors.push(await visitorClient(ctx.stack.baseUrl, name, { channel }));
    const [one, two, three] = visitors as [VisitorClient, VisitorClient, VisitorClient];
    // whoever gets an offer: accept the first, reject the second, let the third expire
    const offered = async (v: VisitorClient) => {
      for (;;) {
        for (const agent of [ctx.alice, ctx.bob]) {
          if (agent.seen.some((s) => s.event === 'offer' && (s.payload as { conversationId: string }).conversationId === v.conversation.id)) return agent;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const a1 = await offered(one);
    await must('accept', a1.accept(one.conversation.id));
    const a2 = await offered(two);
    await must('reject', a2.socket.timeout(20_000).emitWithAck('agent:reject', { conversationId: two.conversation.id }));
    const a3 = await offered(three);
    await a3.waitFor('offer:revoked', (r: { conversationId: string; reason: string }) => r.conversationId === three.conversation.id && r.reason === 'expired', 60_000);
    // the agent who took the first closes it (the desk frees the slot and tells the conversation), the visitors close the rest
    await must('agent close', a1.closeConversation(one.conversation.id));
    await body(one, 'end');
    for (const v of visitors) {
      if (v !== one) await must('visitor close', v.socket.timeout(20_000).emitWithAck('visitor:close', {}));
      await body(v, 'end');
      v.close();
    }
    await must('bob away', ctx.bob.setStatus('away'));
    const dispatcher = ctx.stack.temporal.workflow.getHandle(dispatcherWorkflowId(ctx.stack.deskId));
    await dispatcher.terminate('recording finished');
    await ctx.save('dispatcher', 'offers', dispatcher);
  },

  /** The dispatcher continuing as new (a short history limit): its first run, and the carried run serving on. */
  async 'dispatcher-continue-as-new'(ctx) {
    const workflowId = dispatcherWorkflowId(ctx.stack.deskId);
    await ctx.stack.temporal.workflow.getHandle(workflowId).terminate('recording a short history').catch(() => undefined);
    const first = await ctx.stack.temporal.workflow.start('dispatcherWorkflow', {
      workflowId, taskQueue: ctx.stack.taskQueue,
      args: [{ deskId: ctx.stack.deskId, settings: await loadDispatcherSettings(ctx.stack.database.db), historyLimit: 60 }],
    });
    const channel = await publish(ctx, { start: 'handoff', nodes: [{ id: 'handoff', type: 'handoff', config: { teamId: 'support' } }], settings: { rating: { enabled: false } } });
    await must('alice online', ctx.alice.setStatus('online'));
    await must('bob away', ctx.bob.setStatus('away'));
    const serve = async (name: string) => {
      const v = await visitorClient(ctx.stack.baseUrl, name, { channel });
      await accept(ctx.alice, 'Alice', v);
      await must('agent close', ctx.alice.closeConversation(v.conversation.id));
      await body(v, 'end');
      v.close();
    };
    const continued = async () => (await ctx.stack.temporal.workflow.getHandle(workflowId, first.firstExecutionRunId).describe()).status.name === 'CONTINUED_AS_NEW';
    for (let i = 1; !(await continued()); i++) {
      if (i > 12) throw new Error('the dispatcher did not continue as new');
      await serve(`Burst ${i}`);
    }
    await serve('After the cut'); // served by the carried run
    await ctx.save('dispatcher', 'continue-as-new-first-run', ctx.stack.temporal.workflow.getHandle(workflowId, first.firstExecutionRunId));
    const last = ctx.stack.temporal.workflow.getHandle(workflowId);
    await last.terminate('recording finished');
    await ctx.save('dispatcher', 'continue-as-new-last-run', last);
  },
};

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-record-'));
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-record-pg-'));
  const stops: Array<() => Promise<void>> = [];
  try {
    const [temporal, postgres, bundle] = await Promise.all([
      ensureTemporalCli().then(async (cliPath) => startTemporalDevServer({ cliPath, port: await freePort(), logFile: path.join(tmp, 'temporal.log') })),
      freePort().then((port) => startEmbeddedPostgres({ dataDir: pgDir, port, database: 'postgres', durable: false })),
      bundleWorkflowCode({ workflowsPath: path.join(PROJECT_ROOT, 'workflows', 'index.ts'), logger: new DefaultLogger('WARN') }),
    ]);
    stops.push(temporal.stop, postgres.stop);
    const bundlePath = path.join(tmp, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);

    const stack = await startStack({
      infra: { temporalAddress: temporal.address, databaseUrl: postgres.url, workflowBundlePath: bundlePath },
      routing: { serviceMode: 'manual', offerTimeoutSec: 2 },
      outboundAllow: '127.0.0.1', // the http flow's hook server is local
    });
    stops.unshift(() => stack.stop());
    const admin = (await http<{ token: string }>(stack.baseUrl, 'POST', '/api/auth/login', { body: { email: 'admin@parley.local', password: 'correct horse battery staple' } })).body.token;
    const alice = await staffClient(stack.baseUrl, 'alice@parley.local');
    const bob = await staffClient(stack.baseUrl, 'bob@parley.local');
    stops.unshift(async () => { alice.close(); bob.close(); });
    fs.mkdirSync(path.join(HISTORIES_DIR, release), { recursive: true });
    const ctx: Ctx = {
      stack, admin, alice, bob,
      async save(workflow, scenario, handle) {
        const file = path.join(HISTORIES_DIR, release, `${workflow}-${scenario}.json`);
        const history = await handle.fetchHistory();
        fs.writeFileSync(file, historyToFile(history));
        console.log(`saved ${path.relative(PROJECT_ROOT, file)} (${history.events?.length ?? 0} events)`);
      },
    };
    for (const [name, run] of Object.entries(scenarios)) {
      if (only && !only.has(name)) continue;
      console.log(`scenario ${name}…`);
      await run(ctx);
    }
  } finally {
    for (const stop of stops) await stop().catch((err) => console.error('stop:', err));
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(pgDir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
