/**
 * Issue 16, item 1: an admin-written pattern must not let one visitor message stop the desk. The
 * flows are published through the admin API and run by the real worker; the visitor sends the
 * catastrophic-backtracking input for `^(a+)+$` (34 a's and a `!`), which took the worker down
 * (`async hook stack has become corrupted`) when patterns ran on JavaScript's backtracking RegExp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { adminToken, end, flowOf, msg, publishFlow, say, visitorOn } from '../integration/flows/helpers.js';

const EVIL = '^(a+)+$';
const POISON = `${'a'.repeat(34)}!`;
/** Generous for a loaded 2-core box; the backtracking pattern took far longer than this on this input. */
const PROMPT_MS = 8_000;

describe('admin patterns run in linear time', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack();
    token = await adminToken(stack);
  });
  afterAll(async () => { await stack?.stop(); });

  /** The desk still works: the worker polls, the API is healthy, and a new conversation gets its bot's replies. */
  async function deskStillServes(): Promise<void> {
    expect(stack.worker.worker.getState()).toBe('RUNNING');
    expect((await http(stack.baseUrl, 'GET', '/api/health')).status).toBe(200);
    const { channel } = await publishFlow(stack, token, flowOf([msg('hi', 'Still here, ${visitorName}.', 'bye'), end('bye', 'Bye.')]));
    const other = await visitorOn(stack, channel, 'Grace');
    expect((await other.waitForBody('text', undefined, PROMPT_MS)).text).toBe('Still here, Grace.');
    expect((await other.waitForBody('end', undefined, PROMPT_MS)).text).toBe('Bye.');
    other.close();
  }

  it('a form rule ^(a+)+$ refuses the poison answer promptly and the desk carries on', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([
      {
        id: 'code', type: 'form',
        config: { prompt: 'Your code?', formType: 'text', variable: 'code', rules: [{ type: 'regex', pattern: EVIL, message: 'Only the letter a, please.' }], maxRetries: 3 },
        edges: [{ on: 'next', to: 'ok' }, { on: 'fallback', to: 'ok' }],
      },
      end('ok', 'Accepted ${code}.'),
    ], {}, []));
    const visitor = await visitorOn(stack, channel);
    await visitor.waitForBody('form');
    const sentAt = Date.now();
    await say(visitor, POISON);
    const refusal = await visitor.waitForBody('notice', (n) => n.text === 'Only the letter a, please.', PROMPT_MS);
    expect(refusal.text).toBe('Only the letter a, please.');
    expect(Date.now() - sentAt).toBeLessThan(PROMPT_MS);
    // The pattern still works for a good answer.
    await say(visitor, 'aaaa');
    expect((await visitor.waitForBody('end', undefined, PROMPT_MS)).text).toBe('Accepted aaaa.');
    visitor.close();
    await deskStillServes();
  });

  it('refuses to publish a pattern RE2 cannot run (lookahead, backreference), naming the node, and publishes nothing', async () => {
    const draft = flowOf([
      {
        id: 'askCode', type: 'form',
        config: { prompt: 'Code?', formType: 'text', variable: 'code', rules: [{ type: 'regex', pattern: '^(?=\\d)\\w+$', message: 'Digits first.' }] },
        edges: [{ on: 'next', to: 'sameTwice' }],
      },
      { id: 'sameTwice', type: 'condition', config: { all: [{ op: 'matches', variable: 'code', value: '^(\\w)\\1$' }] }, edges: [{ on: 'true', to: 'bye' }, { on: 'false', to: 'bye' }] },
      end('bye', 'Bye.'),
    ]);
    const created = await http(stack.baseUrl, 'POST', '/api/flows', { token, body: { id: 'lookaround', name: 'Lookaround', channel: 'lookaround', draft } });
    expect(created.status).toBe(201);
    const checked = await http<{ ok: boolean; problems: Array<{ nodeId: string; code: string; message: string }> }>(stack.baseUrl, 'POST', '/api/flows/lookaround/validate', { token, body: {} });
    expect(checked.body.ok).toBe(false);
    expect(checked.body.problems).toEqual([
      { nodeId: 'askCode', code: 'invalid_regex', message: expect.stringMatching(/^rule pattern \/\^\(\?=\\d\)\\w\+\$\/ cannot be used: invalid or unsupported Perl syntax.*no backreferences, lookahead or lookbehind/) },
      { nodeId: 'sameTwice', code: 'invalid_regex', message: expect.stringMatching(/^condition pattern \/\^\(\\w\)\\1\$\/ cannot be used: invalid escape sequence/) },
    ]);
    const published = await http<{ error: { code: string; message: string }; problems: Array<{ nodeId: string }> }>(stack.baseUrl, 'POST', '/api/flows/lookaround/publish', { token, body: {} });
    expect(published.status).toBe(422);
    expect(published.body.error).toEqual({ code: 'invalid_flow', message: 'The draft has 2 problems; nothing was published' });
    expect(published.body.problems.map((p) => p.nodeId)).toEqual(['askCode', 'sameTwice']);
    expect((await http<{ versions: unknown[] }>(stack.baseUrl, 'GET', '/api/flows/lookaround/versions', { token })).body.versions).toEqual([]);
  });

  it('a matches condition with ^(a+)+$ is false for the poison input, promptly, and the desk carries on', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([
      { id: 'code', type: 'form', config: { prompt: 'Your code?', formType: 'text', variable: 'code' }, edges: [{ on: 'next', to: 'check' }] },
      { id: 'check', type: 'condition', config: { all: [{ op: 'matches', variable: 'code', value: EVIL }] }, edges: [{ on: 'true', to: 'yes' }, { on: 'false', to: 'no' }] },
      end('yes', 'Matched.'),
      end('no', 'Not matched.'),
    ]));
    const visitor = await visitorOn(stack, channel);
    await visitor.waitForBody('form');
    const sentAt = Date.now();
    await say(visitor, POISON);
    expect((await visitor.waitForBody('end', undefined, PROMPT_MS)).text).toBe('Not matched.');
    expect(Date.now() - sentAt).toBeLessThan(PROMPT_MS);
    visitor.close();
    await deskStillServes();
  });
});
