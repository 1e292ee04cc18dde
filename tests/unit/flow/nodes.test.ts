import { describe, expect, it } from 'vitest';
import type { FlowDefinition } from '../../../domain/flow/schema.js';
import { FLOW_ERROR_TEXT, MAX_STEPS_PER_CALL, handleVisitorInput, resumeAfterHandoffFailure, resumeAfterHttp, startFlow } from '../../../domain/flow/engine.js';
import type { FlowState } from '../../../domain/flow/types.js';
import { Chat, NOW, effectOf, end, endEffect, flowOf, lines, say } from './helpers.js';

describe('message node', () => {
  it('says each message in order and follows next', () => {
    const chat = new Chat(flowOf([say('a', 'Hello ${visitorName}.', 'b'), say('b', 'How are you?', 'c'), end('c')]));
    expect(chat.lines).toEqual(['Hello Ann.', 'How are you?']);
    expect(chat.result.effects[0]).toEqual({ type: 'say', body: { kind: 'text', text: 'Hello Ann.' } });
    expect(chat.wait).toBe('end');
  });

  it('ends the flow when there is no next edge', () => {
    const chat = new Chat(flowOf([say('a', 'Just this.')]));
    expect(chat.lines).toEqual(['Just this.']);
    expect(endEffect(chat.result)).toEqual({ type: 'end', nodeId: 'a', text: null, rating: true });
    expect(chat.at).toBeNull();
  });
});

describe('end and rating nodes', () => {
  it('end invites a rating when the flow setting is on', () => {
    const chat = new Chat(flowOf([end('bye', 'Bye ${visitorName}!')]));
    expect(endEffect(chat.result)).toEqual({ type: 'end', nodeId: 'bye', text: 'Bye Ann!', rating: true });
    expect(chat.wait).toBe('end');
  });

  it('end does not invite a rating when the setting is off', () => {
    const chat = new Chat(flowOf([end('bye')], { settings: { rating: { enabled: false } } }));
    expect(endEffect(chat.result)).toEqual({ type: 'end', nodeId: 'bye', text: null, rating: false });
  });

  it('rating always invites a rating', () => {
    const chat = new Chat(flowOf([{ id: 'rate', type: 'rating', config: { text: 'Please rate us, ${visitorName}.' } }], { settings: { rating: { enabled: false } } }));
    expect(endEffect(chat.result)).toEqual({ type: 'end', nodeId: 'rate', text: 'Please rate us, Ann.', rating: true });
  });
});

describe('http node', () => {
  const flow = (edges: { on: string; to: string }[] = [{ on: 'next', to: 'status' }, { on: 'failure', to: 'sorry' }]) =>
    flowOf(
      [
        {
          id: 'lookup',
          type: 'http',
          config: {
            url: 'https://shop.example.com/orders',
            method: 'GET',
            send: ['order', 'visitorName', 'unset'],
            map: { status: 'data.status', eta: 'data.eta.days', firstItem: 'data.items.0.name', missing: 'data.nope.deeper', whole: '' },
          },
          edges,
        },
        say('status', 'Order ${order}: ${status}, arriving in ${eta} days (${firstItem})[${missing}].'),
        say('sorry', 'We could not look up your order.'),
      ],
      { variables: ['order'] },
    );

  it('asks the workflow to call the hook with the variables it sends, and waits', () => {
    const chat = new Chat(flow(), { visitorName: 'Ann', order: 'A-1' });
    expect(effectOf(chat.result, 'http')?.request).toEqual({
      nodeId: 'lookup',
      url: 'https://shop.example.com/orders',
      method: 'GET',
      payload: { order: 'A-1', visitorName: 'Ann', unset: '' },
      timeoutMs: 5000,
      maxAttempts: 3,
    });
    expect(chat.wait).toBe('http');
    expect(chat.at).toBe('lookup');
  });

  it('maps answer fields into variables and follows next', () => {
    const chat = new Chat(flow(), { visitorName: 'Ann', order: 'A-1', missing: 'stale' });
    const body = { data: { status: 'shipped', eta: { days: 2 }, items: [{ name: 'Lamp' }] } };
    chat.http({ ok: true, body });
    expect(chat.lines).toEqual(['Order A-1: shipped, arriving in 2 days (Lamp)[].']);
    expect(chat.vars.whole).toBe(JSON.stringify(body));
  });

  it('copes with answers that are not objects', () => {
    const chat = new Chat(flow(), { order: 'A-1' });
    chat.http({ ok: true, body: 'plain text' });
    expect(chat.lines).toEqual(['Order A-1: , arriving in  days ()[].']);
    expect(chat.vars.whole).toBe('plain text');
  });

  it('follows failure when the call failed', () => {
    const chat = new Chat(flow(), { order: 'A-1' });
    chat.http({ ok: false, error: 'timeout' });
    expect(chat.lines).toEqual(['We could not look up your order.']);
  });

  it('ends the flow on failure without a failure edge', () => {
    const chat = new Chat(flow([{ on: 'next', to: 'status' }]), { order: 'A-1' });
    chat.http({ ok: false, error: '500' });
    expect(chat.lines).toEqual([]);
    expect(endEffect(chat.result)?.nodeId).toBe('lookup');
  });

  it('ignores visitor messages while waiting for the hook', () => {
    const chat = new Chat(flow(), { order: 'A-1' });
    const before = chat.result.state;
    const result = handleVisitorInput(chat.flow, before, { text: 'hello?' }, NOW);
    expect(result).toEqual({ state: before, effects: [], wait: 'http' });
  });
});

describe('handoff node', () => {
  const flow = (failedEdge: boolean) =>
    flowOf([
      {
        id: 'agent',
        type: 'handoff',
        config: { teamId: 'billing', connecting: 'Connecting you, ${visitorName}…', failed: 'Sorry ${visitorName}, nobody is free.' },
        edges: failedEdge ? [{ on: 'failed', to: 'note' }] : [],
      },
      say('note', 'You can leave us a message instead.'),
    ]);

  it('asks the workflow to find an agent of the team and waits', () => {
    const chat = new Chat(flow(true));
    expect(effectOf(chat.result, 'handoff')).toEqual({
      type: 'handoff',
      nodeId: 'agent',
      teamId: 'billing',
      connecting: 'Connecting you, Ann…',
      connected: 'You are now chatting with ${agentName}.', // the workflow fills in the agent
      failed: 'Sorry Ann, nobody is free.',
    });
    expect(chat.wait).toBe('handoff');
    expect(chat.lines).toEqual([]);
  });

  it('follows failed when no agent could take the conversation', () => {
    const chat = new Chat(flow(true));
    chat.handoffFailed();
    expect(chat.lines).toEqual(['You can leave us a message instead.']);
  });

  it('ends the flow when it fails without a failed edge', () => {
    const chat = new Chat(flow(false));
    chat.handoffFailed();
    expect(endEffect(chat.result)?.nodeId).toBe('agent');
    expect(chat.wait).toBe('end');
  });

  it('ignores http answers and visitor input while waiting for an agent', () => {
    const chat = new Chat(flow(true));
    const state = chat.result.state;
    expect(resumeAfterHttp(chat.flow, state, { ok: true, body: {} }, NOW)).toEqual({ state, effects: [], wait: 'handoff' });
    expect(handleVisitorInput(chat.flow, state, { text: 'hi' }, NOW)).toEqual({ state, effects: [], wait: 'handoff' });
  });
});

describe('engine', () => {
  it('does nothing once the flow has ended', () => {
    const chat = new Chat(flowOf([say('a', 'Done.')]));
    const state = chat.result.state;
    expect(handleVisitorInput(chat.flow, state, { text: 'hello' }, NOW)).toEqual({ state, effects: [], wait: 'end' });
    expect(resumeAfterHttp(chat.flow, state, { ok: false, error: 'x' }, NOW)).toEqual({ state, effects: [], wait: 'end' });
    expect(resumeAfterHandoffFailure(chat.flow, state, NOW)).toEqual({ state, effects: [], wait: 'end' });
  });

  it('ignores a handoff failure while a menu waits for the visitor', () => {
    const chat = new Chat(flowOf([{ id: 'm', type: 'menu', config: { header: 'Pick', items: [{ id: 'a', content: 'A' }] } }]));
    const state = chat.result.state;
    expect(resumeAfterHandoffFailure(chat.flow, state, NOW)).toEqual({ state, effects: [], wait: 'input' });
  });

  it('stops a loop that never waits and tells the visitor something went wrong', () => {
    const flow = flowOf([say('a', 'ping', 'b'), say('b', 'pong', 'a')]);
    const result = startFlow(flow, {}, NOW);
    const said = result.effects.filter((e) => e.type === 'say');
    expect(said).toHaveLength(MAX_STEPS_PER_CALL + 1); // 100 nodes ran, then the apology
    expect(said.at(-1)).toEqual({ type: 'say', body: { kind: 'notice', text: FLOW_ERROR_TEXT } });
    expect(endEffect(result)).toMatchObject({ rating: false });
    expect(result.wait).toBe('end');
    expect(result.state.steps).toBeLessThanOrEqual(MAX_STEPS_PER_CALL);
  });

  it('stops a condition loop the same way', () => {
    const flow = flowOf([{ id: 'c', type: 'condition', config: { all: [{ op: 'workingHours' }] }, edges: [{ on: 'true', to: 'c' }] }]);
    const result = startFlow(flow, {}, NOW);
    expect(result.effects).toEqual([
      { type: 'say', body: { kind: 'notice', text: FLOW_ERROR_TEXT } },
      { type: 'end', nodeId: 'c', text: null, rating: false },
    ]);
  });

  it('allows the visitor to loop through a menu as often as they like', () => {
    const flow = flowOf([
      { id: 'm', type: 'menu', config: { header: 'Pick', items: [{ id: 'info', content: 'Info' }] }, edges: [{ on: 'info', to: 'i' }] },
      say('i', 'Info.', 'm'),
    ]);
    const chat = new Chat(flow);
    for (let i = 0; i < MAX_STEPS_PER_CALL * 2; i++) chat.send('Info');
    expect(chat.lines).toEqual(['Info.', '[menu] Pick | Info']);
  });

  it('ends with an apology instead of crashing on a broken flow', () => {
    const noStart: FlowDefinition = { ...flowOf([say('a', 'x')]), start: 'ghost' };
    expect(startFlow(noStart, {}, NOW).effects).toEqual([
      { type: 'say', body: { kind: 'notice', text: FLOW_ERROR_TEXT } },
      { type: 'end', nodeId: 'ghost', text: null, rating: false },
    ]);
    const dangling = flowOf([say('a', 'Hello', 'ghost')]);
    const result = startFlow(dangling, {}, NOW);
    expect(result.effects.map((e) => (e.type === 'say' ? e.body : e.type))).toEqual([
      { kind: 'text', text: 'Hello' },
      { kind: 'notice', text: FLOW_ERROR_TEXT },
      'end',
    ]);
    // A state from another version of the flow, waiting on a node that no longer exists.
    const stale = handleVisitorInput(dangling, { nodeId: 'gone', vars: {}, menuStack: [], retries: 0, steps: 3 }, { text: 'hi' }, NOW);
    expect(stale.wait).toBe('end');
    expect(stale.state.nodeId).toBeNull();
  });

  it('never throws on malformed signals or definitions that skipped parsing', () => {
    const menuFlow = flowOf([{ id: 'm', type: 'menu', config: { header: 'Pick', items: [{ id: 'a', content: 'A' }] }, edges: [{ on: 'a', to: 'm' }] }]);
    const waiting = startFlow(menuFlow, {}, NOW).state;
    const garbled = handleVisitorInput(menuFlow, waiting, { choiceId: 'a' } as never, NOW);
    expect(garbled.wait).toBe('input'); // the click still counts
    expect(lines(garbled)).toEqual(['[menu] Pick | A']);

    const unparsed = { start: 'a', nodes: [{ id: 'a', type: 'menu', config: { header: 'Pick' } }] } as unknown as FlowDefinition;
    const result = startFlow(unparsed, {}, NOW);
    expect(result.wait).toBe('end');
    expect(lines(result)).toContain(`[notice] ${FLOW_ERROR_TEXT}`);
    expect(startFlow(null as unknown as FlowDefinition, {}, NOW).wait).toBe('end');
    expect(resumeAfterHttp(unparsed, null as unknown as FlowState, { ok: true, body: 1 }, NOW).wait).toBe('end');
  });

  it('does not change the state it was given', () => {
    const flow = flowOf([
      { id: 'f', type: 'form', config: { prompt: 'Name?', formType: 'text', variable: 'name' }, edges: [{ on: 'next', to: 'm' }] },
      { id: 'm', type: 'menu', config: { header: 'Pick', items: [{ id: 'a', content: 'A' }] } },
    ]);
    const started = startFlow(flow, { visitorName: 'Ann' }, NOW);
    const snapshot = structuredClone(started.state);
    const next = handleVisitorInput(flow, started.state, { text: 'Bob' }, NOW);
    expect(started.state).toEqual(snapshot);
    expect(next.state).toMatchObject({ nodeId: 'm', vars: { visitorName: 'Ann', name: 'Bob' }, menuStack: ['m'] });
  });

  it('gives the same result for the same inputs (replay-safe)', () => {
    const flow = flowOf([
      { id: 'c', type: 'condition', config: { all: [{ op: 'workingHours' }] }, edges: [{ on: 'true', to: 'a' }, { on: 'false', to: 'b' }] },
      say('a', 'open'),
      say('b', 'closed'),
    ], { settings: { workingHours: { timeZone: 'Asia/Tokyo', weekly: [{ day: 3, start: '09:00', end: '20:00' }] } } });
    expect(startFlow(flow, {}, NOW)).toEqual(startFlow(flow, {}, NOW));
    expect(new Chat(flow, {}, NOW).lines).toEqual(['open']); // 19:00 in Tokyo
    expect(new Chat(flow, {}, new Date('2025-03-05T11:00:00Z')).lines).toEqual(['closed']); // 20:00 in Tokyo
  });
});
