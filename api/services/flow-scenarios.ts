import { listFlowScenarios } from '../../db/flow-scenarios.js';
import type { Db } from '../../db/client.js';
import type { PublishedScenario } from '../../domain/flow/scenario-schema.js';
import { describeFailure, runScenario } from '../../domain/flow/scenarios.js';
import type { FlowDefinition } from '../../domain/flow/schema.js';
import type { ScenarioFailureView } from '../../domain/contracts/rest.js';

/**
 * Publishing runs every saved scenario of the flow on the validated draft (issue 20), with the engine the
 * workflows run, in this process: pure, and web hooks are the scenarios' recorded stubs, never real calls.
 */
export async function checkFlowScenarios(
  db: Db, flowId: string, flow: FlowDefinition,
): Promise<{ failures: ScenarioFailureView[]; passed: PublishedScenario[] }> {
  const scenarios = await listFlowScenarios(db, flowId);
  const failures: ScenarioFailureView[] = [];
  for (const scenario of scenarios) {
    const result = runScenario(flow, scenario.script);
    if (!result.ok) failures.push({ scenarioId: scenario.id, name: scenario.name, ...result.failure, message: describeFailure(scenario.name, result.failure) });
  }
  return { failures, passed: scenarios.map((s) => ({ name: s.name, ...s.script })) };
}
