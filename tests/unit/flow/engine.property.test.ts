import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowDefinitionSchema, type FlowDefinition, type FlowNodeType } from '../../../domain/flow/schema.js';
import { MessageBodySchema } from '../../../domain/messages.js';
import { MAX_STEPS_PER_CALL, handleVisitorInput, resumeAfterHandoffFailure, resumeAfterHttp, startFlow } from '../../../domain/flow/engine.js';
import type { FlowWait, HttpOutcome, StepResult } from '../../../domain/flow/types.js';
import { validateFlow } from '../../../domain/flow/validate.js';
import { flowArb as flowArbOf, inputArb } from '../../helpers/flow-arbitraries.js';

const flowArb = flowArbOf();

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
