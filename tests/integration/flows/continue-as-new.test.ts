import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveConversationSettings } from '../../../db/conversation-settings.js';
import { queueUpdateSignal, stateQuery } from '../../../domain/contracts/conversation-workflow.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, end, flowOf, gap, lines, publishFlow, say, transcript, visitorOn, type NodeInput } from './helpers.js';

const QUESTIONS = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'];

/**
 * Long conversations continue as new when their history grows past the desk's limit. The visitor
 * must not notice: answers, retry counts, pending timers and the transcript carry over, and the
 * workflow stays findable by its search attributes.
 */
describe('continue-as-new', () => {
  let stack: Stack;
  let channel: string;

  beforeAll(async () => {
    stack = await startStack();
    await saveConversationSettings(stack.database.db, { historyLimit: 20 }); // a few exchanges per run
    const forms: NodeInput[] = QUESTIONS.map((q, i) => ({
      id: q, type: 'form',
      config: { prompt: `Question ${i + 1}?`, formType: 'text', variable: q, maxRetries: 1, rules: [{ type: 'regex', pattern: '^[a-z]+$', message: 'Lowercase letters only.' }] },
      edges: [{ on: 'next', to: QUESTIONS[i + 1] ?? 'wait' }, { on: 'fallback', to: 'gave-up' }],
    }));
    ({ channel } = await publishFlow(stack, await adminToken(stack), flowOf([
      ...forms,
      { id: 'wait', type: 'menu', config: { header: 'Answers: ${q1} ${q2} ${q3} ${q4} ${q5} ${q6}. Anything else?', items: [{ id: 'no', content: 'No' }] }, edges: [{ on: 'no', to: 'bye' }] },
      end('bye', 'Bye.'),
      end('gave-up', 'Too many wrong answers.'),
    ], { waitingIdleSec: 3, idleCloseText: 'Closed for inactivity.', closeText: 'Closed.' })));
  });
  afterAll(async () => { await stack?.stop(); });

  it('carries answers, retries, timers, transcript and search attributes into the new run', async () => {
    const visitor = await visitorOn(stack, channel, 'Ada');
    const handle = stack.temporal.workflow.getHandle(visitor.conversation.workflowId);
    const firstRunId = (await handle.describe()).runId;

    await visitor.waitForBody('form');
    const answers = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    for (const [i, answer] of answers.entries()) {
      if (i === 4) { // one refusal on question 5: its retry count must survive too
        await say(visitor, 'WRONG');
        await visitor.waitForBody('notice');
      }
      await say(visitor, answer);
      if (i < answers.length - 1) await visitor.waitForBody('form', (f) => f.prompt === `Question ${i + 2}?`);
    }
    const menu = await visitor.waitFor('message', (m) => m.body.kind === 'menu');
    expect(menu.body.header).toBe('Answers: alpha bravo charlie delta echo foxtrot. Anything else?');

    // it really continued as new (how often depends on how events share workflow tasks under load)
    const latest = await handle.describe();
    expect(latest.runId).not.toBe(firstRunId);
    expect((await stack.temporal.workflow.getHandle(visitor.conversation.workflowId, firstRunId).describe()).status.name).toBe('CONTINUED_AS_NEW');
    // walk the chain back from the latest run (each run's start names the run it continued)
    let hops = 0;
    for (let runId: string | undefined = latest.runId; runId && runId !== firstRunId; hops++) {
      const history = await stack.temporal.workflow.getHandle(visitor.conversation.workflowId, runId).fetchHistory();
      runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
    }
    expect(hops).toBeGreaterThanOrEqual(1);

    // search attributes and memo are still there, and current
    const attrs = Object.fromEntries(latest.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]));
    expect(attrs).toMatchObject({
      ParleyStatus: 'bot', ParleyVisitor: visitor.visitorId, ParleyChannel: channel, ParleyFlowId: visitor.conversation.flowId, ParleyFlowVersion: 1,
    });
    expect(latest.memo).toMatchObject({ visitorName: 'Ada' });
    const state = await handle.query(stateQuery);
    expect(state.flow.state?.vars).toMatchObject({ q1: 'alpha', q6: 'foxtrot', visitorName: 'Ada' });

    // the idle timer still counts from the visitor's last answer
    const lastAnswer = visitor.messages().filter((m) => m.body.kind === 'text' && m.sender === 'visitor').at(-1)!;
    const timeout = await visitor.waitFor('message', (m) => m.body.kind === 'timeout');
    expect(gap(lastAnswer, timeout)).toBeGreaterThanOrEqual(3000 - 50);
    await visitor.waitForBody('end');

    // every message of every run is in the transcript, once, in order
    const seen = lines(await transcript(stack, visitor.conversation.id));
    expect(seen.filter((l) => l.startsWith('form:'))).toEqual([...QUESTIONS.map((_, i) => `form: Question ${i + 1}?`)].flatMap((l, i) => (i === 4 ? [l, l] : [l])));
    expect(seen.slice(-4)).toEqual([
      'text: foxtrot', 'menu: Answers: alpha bravo charlie delta echo foxtrot. Anything else?', 'timeout: Closed for inactivity.', 'end(timer): Closed.',
    ]);
    expect(seen).toContain('notice: Lowercase letters only.');
    visitor.close();
  });

  it('a retry count carried over still leads to the fallback', async () => {
    const visitor = await visitorOn(stack, channel, 'Bo');
    await visitor.waitForBody('form');
    for (const [i, answer] of ['a', 'b', 'c'].entries()) {
      await say(visitor, answer);
      await visitor.waitForBody('form', (f) => f.prompt === `Question ${i + 2}?`);
    }
    await say(visitor, 'NOPE');
    await visitor.waitForBody('notice');
    // Grow the history with signals the conversation ignores in this state (a stale queue update)
    // until it continues as new, so the first refusal was counted in an earlier run for sure.
    const handle = stack.temporal.workflow.getHandle(visitor.conversation.workflowId);
    const runBefore = (await handle.describe()).runId;
    for (let i = 0; (await handle.describe()).runId === runBefore; i++) {
      expect(i, 'continued as new after a few signals').toBeLessThan(20);
      await handle.signal(queueUpdateSignal, { position: 1, waitNo: i });
      // Answered once the signal's workflow task ran (continuing as new if due): without it the loop
      // could send all 20 signals before a busy worker ran their tasks (full-suite run, 10:16).
      await handle.query(stateQuery);
    }
    await say(visitor, 'AGAIN'); // second refusal with maxRetries 1
    expect((await visitor.waitForBody('end')).text).toBe('Too many wrong answers.');
    visitor.close();
  });
});
