import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageBodySchema, type ChatMessage } from '../../../domain/messages.js';
import { stateQuery } from '../../../domain/contracts/conversation-workflow.js';
import { flowArb, inputArb } from '../../helpers/flow-arbitraries.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, publishFlow, statusOf, transcript, visitorOn } from './helpers.js';

const EventType = proto.temporal.api.enums.v1.EventType;
const RUNS = Number(process.env.PARLEY_RANDOM_FLOW_RUNS ?? 6);
const SETTLE_MS = 20_000;

/**
 * Random valid flows (the engine property test's generators) driven by random visitor input through
 * the real API and real workflows. Whatever the flow and input: no workflow task fails, no workflow
 * fails, every input the flow waits for gets a reply, and every conversation ends properly (the flow
 * ends it, or the visitor leaves a queue or an open flow) with exactly one `end` message.
 * A failure prints fast-check's seed; rerun it with `PARLEY_RANDOM_FLOW_SEED=<seed>`.
 */
describe('random flows through real workflows', () => {
  let stack: Stack;
  let token: string;
  let server: Server;
  let hooks: string[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ x: { y: 'deep' }, list: ['first', 2] }));
      } else if (req.url === '/not-json') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('not json');
      } else {
        res.writeHead(500);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    hooks = [`${base}/ok`, `${base}/ok`, `${base}/fail`, `${base}/not-json`];
    stack = await startStack({ outboundAllow: '127.0.0.1' }); // nobody is online: a hand-off offers to leave a message (or queues, if the flow says so); the hooks are local
    token = await adminToken(stack);
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('keeps every workflow running or ends it properly, with a reply to every input', { timeout: 60_000 + RUNS * 45_000 }, async () => {
    const visibleInput = inputArb.filter((i) => i.text.trim().length > 0); // the API refuses blank messages
    await fc.assert(
      fc.asyncProperty(
        flowArb({ httpUrls: hooks, httpTimeoutMs: 1000, httpMaxAttempts: 2, maxNodes: 6 }),
        fc.array(visibleInput, { minLength: 1, maxLength: 6 }),
        async (definition, inputs) => {
          const { channel } = await publishFlow(stack, token, definition);
          const visitor = await visitorOn(stack, channel, 'Rand');
          const handle = stack.temporal.workflow.getHandle(visitor.conversation.workflowId);
          const fromDesk = (m: ChatMessage) => m.sender !== 'visitor';

          /** Waits until the conversation waits for the visitor, offers to leave a message, sits in the queue, or is closed. */
          const settle = async () => {
            const deadline = Date.now() + SETTLE_MS;
            for (;;) {
              const s = await handle.query(stateQuery);
              if (s.status !== 'bot' || s.flow.wait === 'input' || s.leaveMessage) return s;
              if (Date.now() > deadline) throw new Error(`stalled in ${JSON.stringify({ status: s.status, wait: s.flow.wait, node: s.flow.state?.nodeId })}`);
              await new Promise((r) => setTimeout(r, 100));
            }
          };

          await visitor.waitFor('message', fromDesk, SETTLE_MS); // the flow always says something first
          for (const input of inputs) {
            const s = await settle();
            if (s.status !== 'bot' || s.leaveMessage) break; // a hand-off out of hours offers the leave-a-message form
            const ack = await visitor.send(input.text, input.choiceId);
            expect(ack, JSON.stringify(input)).toMatchObject({ ok: true });
            await visitor.waitFor('message', (m: ChatMessage) => fromDesk(m) && m.seq > ack.message.seq, SETTLE_MS);
          }

          const last = await settle();
          if (last.status === 'bot' || last.status === 'queued' || last.status === 'offered') {
            expect(await visitor.socket.timeout(SETTLE_MS).emitWithAck('visitor:close', {})).toEqual({ ok: true });
          }
          await visitor.waitForBody('end', () => true, SETTLE_MS);
          const bodies = await transcript(stack, visitor.conversation.id); // the end message and any invitation are stored together
          const summary = await statusOf(stack, visitor, bodies.some((b) => b.kind === 'rating-invite') ? 'rating' : 'ended');
          expect(['flow', 'visitor']).toContain(summary.closedBy);

          for (const body of bodies) expect(MessageBodySchema.safeParse(body).success, JSON.stringify(body)).toBe(true);
          expect(bodies.filter((b) => b.kind === 'end')).toHaveLength(1);
          expect(bodies.slice(bodies.findIndex((b) => b.kind === 'end') + 1).every((b) => b.kind === 'rating-invite')).toBe(true);

          const history = await handle.fetchHistory();
          const failures = (history.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
          expect(failures.map((e) => e.workflowTaskFailedEventAttributes?.failure?.message)).toEqual([]);
          expect(['RUNNING', 'COMPLETED']).toContain((await handle.describe()).status.name);
          visitor.close();
        },
      ),
      { numRuns: RUNS, endOnFailure: true, ...(process.env.PARLEY_RANDOM_FLOW_SEED ? { seed: Number(process.env.PARLEY_RANDOM_FLOW_SEED) } : {}) },
    );
  });
});
