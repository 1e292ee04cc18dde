import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowDefinitionSchema, type FlowDefinition, type FlowDefinitionInput, type FlowNodeType } from '../../../shared/flow.js';
import { MessageBodySchema } from '../../../shared/messages.js';
import { MAX_STEPS_PER_CALL, handleVisitorInput, resumeAfterHandoffFailure, resumeAfterHttp, startFlow } from '../../../workflows/flow/engine.js';
import type { FlowWait, HttpOutcome, StepResult, VisitorInput } from '../../../workflows/flow/types.js';
import { validateFlow } from '../../../workflows/flow/validate.js';

type NodeInput = FlowDefinitionInput['nodes'][number];

const VARS = ['a', 'b', 'c'] as const;
const TEXTS = ['Hello', 'Hi ${visitorName}', 'Value: ${a}/${b}', '${c}${channel}', '1', 'Yes', 'No', 'Back'];
const CONTENTS = ['Yes', 'No', 'Back', '1', '2', 'Billing', 'Talk to an agent'];
const PATTERNS = ['^\\d+$', '^[A-Z]', 'x|y', '.*'];
const ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Pacific/Chatham', 'Asia/Kolkata'];
const TYPES: FlowNodeType[] = ['message', 'menu', 'form', 'condition', 'http', 'handoff', 'rating', 'end'];

/** Everything needed to build one node, whatever its type; `targets` feed its edges. */
const nodeSeed = (n: number) =>
  fc.record({
    type: fc.constantFrom(...TYPES),
    text: fc.constantFrom(...TEXTS),
    items: fc.array(fc.record({ content: fc.constantFrom(...CONTENTS), back: fc.boolean() }), { minLength: 1, maxLength: 4 }),
    options: fc.uniqueArray(fc.constantFrom(...CONTENTS), { minLength: 1, maxLength: 4 }),
    formType: fc.constantFrom('text' as const, 'options' as const),
    variable: fc.constantFrom(...VARS),
    rules: fc.array(
      fc.oneof(
        fc.constant({ type: 'required' as const, message: 'Required ${visitorName}' }),
        fc.constantFrom(...PATTERNS).map((pattern) => ({ type: 'regex' as const, pattern, message: 'Pattern' })),
        fc.constant({ type: 'email' as const, message: 'Email' }),
        fc.constant({ type: 'phone' as const, message: 'Phone' }),
        fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 10 })).map(([min, span]) => ({ type: 'range' as const, min, max: min + span, message: 'Range' })),
        fc.integer({ min: 1, max: 8 }).map((max) => ({ type: 'maxLength' as const, max, message: 'Long' })),
      ),
      { maxLength: 3 },
    ),
    maxRetries: fc.integer({ min: 0, max: 3 }),
    tests: fc.array(
      fc.oneof(
        fc.record({ op: fc.constantFrom('equals' as const, 'notEquals' as const, 'contains' as const), variable: fc.constantFrom(...VARS, 'channel'), value: fc.constantFrom('', '1', 'Yes', 'web') }),
        fc.record({ op: fc.constant('matches' as const), variable: fc.constantFrom(...VARS), value: fc.constantFrom(...PATTERNS) }),
        fc.record({ op: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const), variable: fc.constantFrom(...VARS), value: fc.integer({ min: -3, max: 3 }) }),
        fc.constant({ op: 'workingHours' as const }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    map: fc.dictionary(fc.constantFrom(...VARS), fc.constantFrom('', 'x', 'x.y', 'list.0', 'nope.nope'), { maxKeys: 2 }),
    send: fc.subarray([...VARS, 'visitorName']),
    withText: fc.boolean(),
    /** One optional target per possible edge name, in the order edgeNames() lists them. */
    targets: fc.array(fc.option(fc.nat(n - 1), { nil: undefined }), { minLength: 8, maxLength: 8 }),
  });

type Seed = ReturnType<typeof nodeSeed> extends fc.Arbitrary<infer T> ? T : never;

function buildNode(id: string, s: Seed): NodeInput {
  const itemIds = s.items.map((_, i) => `i${i}`);
  const edgesFor = (names: string[]) =>
    names.flatMap((on, i) => {
      const to = s.targets[i];
      return to === undefined ? [] : [{ on, to: `n${to}` }];
    });
  switch (s.type) {
    case 'message':
      return { id, type: 'message', config: { text: s.text }, edges: edgesFor(['next']) };
    case 'menu':
      return {
        id,
        type: 'menu',
        config: { header: s.text, items: s.items.map((item, i) => ({ id: itemIds[i]!, content: item.content, ...(item.back ? { back: true } : {}) })), maxRetries: s.maxRetries },
        edges: edgesFor([...itemIds, 'fallback']),
      };
    case 'form':
      return {
        id,
        type: 'form',
        config: { prompt: s.text, formType: s.formType, ...(s.formType === 'options' ? { options: s.options } : {}), variable: s.variable, rules: s.rules, maxRetries: s.maxRetries },
        edges: edgesFor(['next', 'fallback']),
      };
    case 'condition':
      return { id, type: 'condition', config: { all: s.tests }, edges: edgesFor(['true', 'false']) };
    case 'http':
      return { id, type: 'http', config: { url: 'https://hooks.example.com/flow', send: s.send, map: s.map }, edges: edgesFor(['next', 'failure']) };
    case 'handoff':
      return { id, type: 'handoff', config: {}, edges: edgesFor(['failed']) };
    case 'rating':
    case 'end':
      return { id, type: s.type, config: s.withText ? { text: s.text } : {} };
  }
}

/** Drops nodes the start cannot reach, so the flow is valid (edges only point at existing nodes). */
function reachableOnly(nodes: NodeInput[]): NodeInput[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const seen = new Set(['n0']);
  const queue = ['n0'];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const edge of byId.get(id)?.edges ?? []) {
      if (!seen.has(edge.to)) {
        seen.add(edge.to);
        queue.push(edge.to);
      }
    }
  }
  return nodes.filter((node) => seen.has(node.id));
}

const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 59)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

const settingsArb = fc.record({
  rating: fc.record({ enabled: fc.boolean() }),
  workingHours: fc.option(
    fc.record({
      timeZone: fc.constantFrom(...ZONES),
      weekly: fc.array(fc.record({ day: fc.integer({ min: 0, max: 6 }), start: hhmm, end: fc.oneof(hhmm, fc.constant('24:00')) }), { maxLength: 6 }),
      holidays: fc.array(fc.date({ min: new Date('2024-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), { maxLength: 3 }),
    }),
    { nil: null },
  ),
});

const flowArb = fc
  .integer({ min: 1, max: 8 })
  .chain((n) => fc.tuple(fc.array(nodeSeed(n), { minLength: n, maxLength: n }), settingsArb))
  .map(([seeds, settings]): FlowDefinitionInput => ({
    start: 'n0',
    variables: [...VARS],
    nodes: reachableOnly(seeds.map((seed, i) => buildNode(`n${i}`, seed))),
    settings,
  }));

const inputArb: fc.Arbitrary<VisitorInput> = fc.record(
  {
    text: fc.oneof(fc.constantFrom(...CONTENTS, '0', '3', '4', ' ', 'ann@example.com', '+1 555 123 4567', '-2', '42'), fc.string({ maxLength: 12 })),
    choiceId: fc.constantFrom('i0', 'i1', 'i3', '0', '1', 'nope'),
  },
  { requiredKeys: ['text'] },
);

const outcomeArb: fc.Arbitrary<HttpOutcome> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((body) => ({ ok: true as const, body })),
  fc.record({ x: fc.jsonValue({ maxDepth: 2 }), list: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }) }).map((body) => ({ ok: true as const, body })),
  fc.string({ maxLength: 8 }).map((error) => ({ ok: false as const, error })),
);

const eventArb = fc.oneof(
  { weight: 3, arbitrary: inputArb.map((input) => ({ kind: 'input' as const, input })) },
  { weight: 1, arbitrary: outcomeArb.map((outcome) => ({ kind: 'http' as const, outcome })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'handoff' as const }) },
);

const WAIT_OF: Record<FlowNodeType, FlowWait | null> = { menu: 'input', form: 'input', http: 'http', handoff: 'handoff', message: null, condition: null, rating: null, end: null };

function checkStep(flow: FlowDefinition, before: StepResult | null, after: StepResult, startVars: Record<string, string>) {
  const { state } = after;
  const stepsTaken = state.steps - (before?.state.steps ?? 0);
  expect(stepsTaken).toBeGreaterThanOrEqual(0);
  expect(stepsTaken).toBeLessThanOrEqual(MAX_STEPS_PER_CALL);

  // The flow always either waits on an existing node of a waiting type, or has ended.
  if (state.nodeId === null) {
    expect(after.wait).toBe('end');
  } else {
    const node = flow.nodes.find((n) => n.id === state.nodeId);
    expect(node).toBeDefined();
    expect(after.wait).toBe(WAIT_OF[node!.type]);
  }

  for (const effect of after.effects) if (effect.type === 'say') expect(MessageBodySchema.safeParse(effect.body).success).toBe(true);

  const ends = after.effects.filter((e) => e.type === 'end');
  if (before === null || before.wait !== 'end') {
    if (after.wait === 'end') {
      expect(ends).toHaveLength(1);
      expect(after.effects.at(-1)?.type).toBe('end');
    } else {
      expect(ends).toHaveLength(0);
    }
    const waits = { http: 'http', handoff: 'handoff' } as const;
    for (const [type, wait] of Object.entries(waits)) {
      const count = after.effects.filter((e) => e.type === type).length;
      if (after.effects.length > 0) expect(count).toBe(after.wait === wait ? 1 : 0);
    }
  } else {
    expect(after.effects).toEqual([]);
  }

  for (const key of Object.keys(startVars)) expect(Object.hasOwn(state.vars, key)).toBe(true);
  const menus = new Set(flow.nodes.filter((n) => n.type === 'menu').map((n) => n.id));
  expect(state.menuStack.every((id) => menus.has(id))).toBe(true);
  expect(new Set(state.menuStack).size).toBe(state.menuStack.length);
}

describe('engine properties', { timeout: 60_000 }, () => {
  it('random valid flows are accepted by the validator', () => {
    fc.assert(
      fc.property(flowArb, (input) => {
        const result = validateFlow(input);
        expect(result.ok ? [] : result.problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, stays within the step cap, and always ends or waits on a real node', () => {
    fc.assert(
      fc.property(
        flowArb,
        fc.array(eventArb, { maxLength: 25 }),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.constantFrom<Record<string, string>>({}, { visitorName: 'Ann', channel: 'web' }, { visitorName: 'Bo', a: '5', b: 'Yes' }),
        (input, events, now, vars) => {
          const flow = FlowDefinitionSchema.parse(input);
          let result = startFlow(flow, vars, now);
          checkStep(flow, null, result, vars);
          for (const event of events) {
            const before = result;
            const snapshot = structuredClone(before.state);
            if (event.kind === 'input') result = handleVisitorInput(flow, before.state, event.input, now);
            else if (event.kind === 'http') result = resumeAfterHttp(flow, before.state, event.outcome, now);
            else result = resumeAfterHandoffFailure(flow, before.state, now);
            expect(before.state).toEqual(snapshot); // the caller's state is never modified
            const expected = event.kind === 'input' ? 'input' : event.kind;
            if (before.wait !== expected) expect(result).toEqual({ state: before.state, effects: [], wait: before.wait });
            checkStep(flow, before, result, vars);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
