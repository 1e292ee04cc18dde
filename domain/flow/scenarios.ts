import type { ScenarioInput, ScenarioScript } from './scenario-schema.js';
import type { FlowDefinition } from './schema.js';
import { FlowSimulation, type SimulatedStep } from './simulation.js';

/**
 * Test scenarios (issue 20): recorded from the designer's preview, run again there and on publish, with the
 * engine the workflows run (through simulation.ts). Pure and zod-free: the API runs it in its process and
 * the browser in the designer's bundle. A web hook in a scenario is its recorded stub, never a real call.
 */

/** The first step that did not go as recorded. `step` 0 is the flow's start, then 1 per input. */
export interface ScenarioFailure {
  step: number;
  input: ScenarioInput | null;
  /** `texts`: the visitor read other texts; `not_waiting`: the flow did not wait for this input (it ended or waits for something else). */
  reason: 'texts' | 'not_waiting';
  expected: string[];
  actual: string[];
  /** The node the flow was at. */
  nodeId: string | null;
}

export type ScenarioResult = { ok: true; steps: SimulatedStep[] } | { ok: false; steps: SimulatedStep[]; failure: ScenarioFailure };

const sameTexts = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/** Runs a scenario on `flow`, stopping at the first step whose texts differ from the recorded ones. */
export function runScenario(flow: FlowDefinition, script: ScenarioScript, options: { sampleAgentName?: string } = {}): ScenarioResult {
  const at = new Date(script.at);
  const sim = new FlowSimulation(flow, { vars: { ...script.vars }, locale: script.locale, now: () => at, sampleAgentName: options.sampleAgentName });
  const steps: SimulatedStep[] = [];
  const first = sim.start();
  steps.push(first);
  if (!sameTexts(first.texts, script.start)) {
    return { ok: false, steps, failure: { step: 0, input: null, reason: 'texts', expected: script.start, actual: first.texts, nodeId: first.nodeId } };
  }
  for (const [i, recorded] of script.steps.entries()) {
    const step = sim.send(recorded.input);
    steps.push(step);
    if (step.ignored || !sameTexts(step.texts, recorded.expect)) {
      return {
        ok: false, steps,
        failure: { step: i + 1, input: recorded.input, reason: step.ignored ? 'not_waiting' : 'texts', expected: recorded.expect, actual: step.texts, nodeId: step.nodeId },
      };
    }
  }
  return { ok: true, steps };
}

/** A scenario as recorded from a preview's steps (the start, then each input that was taken). */
export function scriptOf(steps: readonly SimulatedStep[], options: Pick<ScenarioScript, 'locale' | 'at' | 'vars'>): ScenarioScript {
  const [first, ...rest] = steps;
  return {
    ...options,
    start: first?.texts ?? [],
    steps: rest.filter((s) => !s.ignored && s.input !== null).map((s) => ({ input: s.input!, expect: [...s.texts] })),
  };
}

/** An input as a short phrase (English: the API's error message; the designer words it in the admin's language). */
export function describeInput(input: ScenarioInput | null): string {
  if (input === null) return 'the start';
  if (input.kind === 'answer') return `the answer "${input.text}"`;
  if (input.kind === 'http') return `the web hook answer HTTP ${input.status}`;
  return 'the failed hand-off';
}

const quoted = (texts: readonly string[]) => (texts.length === 0 ? 'nothing' : texts.map((t) => `"${t.replace(/\n/g, ' / ')}"`).join(', '));

/** The failure in one sentence naming the scenario, the step and the expected and actual texts. */
export function describeFailure(name: string, failure: ScenarioFailure): string {
  const where = `scenario "${name}", step ${failure.step} (${describeInput(failure.input)})`;
  if (failure.reason === 'not_waiting') return `${where}: the flow ${failure.nodeId === null ? 'had ended' : `was not waiting for this at node ${failure.nodeId}`}`;
  return `${where}: expected ${quoted(failure.expected)} but the flow said ${quoted(failure.actual)}`;
}
