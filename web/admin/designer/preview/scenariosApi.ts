import { operations as ops } from '../../../../client/operations';
import type { ApiClient } from '../../../common/api';
import { ApiError } from '../../../common/errors';
import type { FlowScenario, ScenarioFailureView } from '../../../../domain/contracts/rest';
import type { ScenarioScript } from '../../../../domain/flow/scenario-schema';

/** A flow's test scenarios (api/routes/flow-scenarios.ts). */
export const scenariosApi = {
  list: (api: ApiClient, flowId: string) => api.rest.call(ops.listFlowScenarios, { params: { id: flowId } }).then((r) => r.scenarios),
  create: (api: ApiClient, flowId: string, name: string, script: ScenarioScript) =>
    api.rest.call(ops.createFlowScenario, { params: { id: flowId }, body: { name, script } }),
  rename: (api: ApiClient, flowId: string, scenarioId: string, name: string) =>
    api.rest.call(ops.renameFlowScenario, { params: { id: flowId, scenarioId }, body: { name } }),
  remove: (api: ApiClient, flowId: string, scenarioId: string) => api.rest.call(ops.deleteFlowScenario, { params: { id: flowId, scenarioId } }),
};

export type { FlowScenario };

/** The failing scenarios of a refused publish (422 `scenario_failed`), else null. */
export function scenarioFailuresOf(err: unknown): ScenarioFailureView[] | null {
  if (!(err instanceof ApiError) || err.status !== 422) return null;
  const body = err.body as { error?: { code?: unknown }; failures?: unknown } | undefined;
  if (body?.error?.code !== 'scenario_failed' || !Array.isArray(body.failures)) return null;
  return body.failures as ScenarioFailureView[];
}
