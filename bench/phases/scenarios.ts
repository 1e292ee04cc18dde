import { operations as ops } from '../../client/operations.js';
import { restClient } from '../../client/rest.js';
import { DEFAULT_FLOW } from '../../domain/flow/default-flow.js';
import type { ScenarioInput } from '../../domain/flow/scenario-schema.js';
import { scriptOf } from '../../domain/flow/scenarios.js';
import { FlowDefinitionSchema } from '../../domain/flow/schema.js';
import { FlowSimulation } from '../../domain/flow/simulation.js';
import { summarize } from '../lib/stats.js';

/**
 * Issue 20: what test scenarios add to a publish. Two flows with the default definition, one with `scenarios`
 * saved scenarios (each the "leave a message" path with a few wrong answers, ~10 inputs), published `samples`
 * times each from a client over loopback: the difference is the API running every scenario with the engine.
 */
export interface ScenariosPhaseOptions {
  apiUrl: string;
  password: string;
  scenarios: number;
  samples: number;
  log: (line: string) => void;
}

function recordedScript(i: number) {
  const at = new Date('2026-01-07T10:00:00Z');
  const vars = { visitorName: `Bench ${i}`, channel: 'bench-scenarios' };
  const sim = new FlowSimulation(FlowDefinitionSchema.parse(structuredClone(DEFAULT_FLOW)), { vars, locale: i % 2 === 0 ? 'en' : 'zh-CN', now: () => at });
  const inputs: ScenarioInput[] = [
    { kind: 'answer', text: 'what?' }, { kind: 'answer', text: '2' }, { kind: 'answer', text: '3' },
    { kind: 'answer', text: 'not an email' }, { kind: 'answer', text: `bench${i}@example.com` }, { kind: 'answer', text: `Note ${i}` },
  ];
  return scriptOf([sim.start(), ...inputs.map((input) => sim.send(input))], { locale: i % 2 === 0 ? 'en' : 'zh-CN', at: at.toISOString(), vars });
}

export async function scenariosPhase(o: ScenariosPhaseOptions) {
  const anonymous = restClient(o.apiUrl);
  const { token } = await anonymous.call(ops.login, { body: { email: 'admin@parley.local', password: o.password } });
  const admin = restClient(o.apiUrl, { auth: { token: () => token } });
  const suffix = Date.now().toString(36);
  const plain = `bench-plain-${suffix}`;
  const tested = `bench-tested-${suffix}`;
  await admin.call(ops.createFlow, { body: { id: plain, name: 'Bench, no scenarios', channel: plain } });
  await admin.call(ops.createFlow, { body: { id: tested, name: 'Bench, with scenarios', channel: tested } });
  let inputs = 0;
  for (let i = 0; i < o.scenarios; i++) {
    const script = recordedScript(i);
    inputs += script.steps.length;
    await admin.call(ops.createFlowScenario, { params: { id: tested }, body: { name: `Scenario ${i}`, script } });
  }
  const time = async (flowId: string) => {
    const times: number[] = [];
    for (let i = 0; i < o.samples + 3; i++) {
      const started = performance.now();
      const version = await admin.call(ops.publishFlow, { params: { id: flowId }, body: {} });
      if (i >= 3) times.push(performance.now() - started); // the first three warm up
      if (flowId === tested && version.scenarios.length !== o.scenarios) throw new Error('the version lacks its scenarios');
    }
    return summarize(times);
  };
  const without = await time(plain);
  const withScenarios = await time(tested);
  return { scenarios: o.scenarios, inputs, publish: without, publishWithScenarios: withScenarios };
}
