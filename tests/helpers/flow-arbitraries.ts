import fc from 'fast-check';
import type { FlowDefinitionInput, FlowNodeType } from '../../domain/flow/schema.js';
import type { VisitorInput } from '../../domain/flow/types.js';

/**
 * fast-check generators of valid service flows and visitor input, shared by the engine's property
 * test (pure engine) and the randomized integration test (real workflows through the API).
 */

type NodeInput = FlowDefinitionInput['nodes'][number];

export interface FlowArbOptions {
  /** Web hook URLs http nodes pick from (default: an unreachable example URL, fine for the pure engine). */
  httpUrls?: string[];
  /** Per-attempt timeout and attempts of http nodes (default: the schema's). */
  httpTimeoutMs?: number;
  httpMaxAttempts?: number;
  /** Most nodes per flow (default 8). */
  maxNodes?: number;
}

export const VARS = ['a', 'b', 'c'] as const;
export const TEXTS = ['Hello', 'Hi ${visitorName}', 'Value: ${a}/${b}', '${c}${channel}', '1', 'Yes', 'No', 'Back'];
export const CONTENTS = ['Yes', 'No', 'Back', '1', '2', 'Billing', 'Talk to an agent'];
const PATTERNS = ['^\\d+$', '^[A-Z]', 'x|y', '.*'];
const ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Pacific/Chatham', 'Asia/Kolkata'];
export const TYPES: FlowNodeType[] = ['message', 'menu', 'form', 'condition', 'http', 'handoff', 'rating', 'end'];

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
    /** Which of the options' http URLs an http node calls. */
    url: fc.nat(),
    /** One optional target per possible edge name, in the order edgeNames() lists them. */
    targets: fc.array(fc.option(fc.nat(n - 1), { nil: undefined }), { minLength: 8, maxLength: 8 }),
  });

type Seed = ReturnType<typeof nodeSeed> extends fc.Arbitrary<infer T> ? T : never;

function buildNode(id: string, s: Seed, opts: FlowArbOptions): NodeInput {
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
        config: { header: s.text, items: s.items.map((item, i) => ({ id: itemIds[i], content: item.content, ...(item.back ? { back: true } : {}) })),
            maxRetries: s.maxRetries },
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
      return {
        id, type: 'http',
        config: {
          url: opts.httpUrls?.length ? opts.httpUrls[s.url % opts.httpUrls.length] : 'https://hooks.example.com/flow', send: s.send, map: s.map,
          ...(opts.httpTimeoutMs ? { timeoutMs: opts.httpTimeoutMs } : {}), ...(opts.httpMaxAttempts ? { maxAttempts: opts.httpMaxAttempts } : {}),
        },
        edges: edgesFor(['next', 'failure']),
      };
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

export const settingsArb = fc.record({
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

/** Valid flows of up to `maxNodes` nodes (edges only to existing nodes, every node reachable). */
export function flowArb(opts: FlowArbOptions = {}): fc.Arbitrary<FlowDefinitionInput> {
  return fc
    .integer({ min: 1, max: opts.maxNodes ?? 8 })
    .chain((n) => fc.tuple(fc.array(nodeSeed(n), { minLength: n, maxLength: n }), settingsArb))
    .map(([seeds, settings]): FlowDefinitionInput => ({
      start: 'n0',
      variables: [...VARS],
      nodes: reachableOnly(seeds.map((seed, i) => buildNode(`n${i}`, seed, opts))),
      settings,
    }));
}

export const inputArb: fc.Arbitrary<VisitorInput> = fc.record(
  {
    text: fc.oneof(fc.constantFrom(...CONTENTS, '0', '3', '4', ' ', 'ann@example.com', '+1 555 123 4567', '-2', '42'), fc.string({ maxLength: 12 })),
    choiceId: fc.constantFrom('i0', 'i1', 'i3', '0', '1', 'nope'),
  },
  { requiredKeys: ['text'] },
);
