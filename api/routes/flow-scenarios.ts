import { Router } from 'express';
import { z } from 'zod';
import {
  countFlowScenarios, createFlowScenario, deleteFlowScenario, listFlowScenarios, renameFlowScenario, ScenarioNameTakenError,
} from '../../db/flow-scenarios.js';
import { getFlow } from '../../db/flows.js';
import { MAX_SCENARIOS_PER_FLOW, ScenarioNameSchema, ScenarioScriptSchema } from '../../domain/flow/scenario-schema.js';
import { FlowScenarioSchema } from '../../domain/contracts/rest.js';
import type { ApiContext } from '../context.js';
import { conflict, notFound } from '../http/errors.js';
import { route } from '../http/route.js';

/**
 * Admin API for a flow's test scenarios (issue 20): recorded in the designer's preview, listed, renamed,
 * deleted; publishing runs them (api/routes/flows.ts, api/services/flow-scenarios.ts).
 */

const FlowParams = z.object({ flowId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'flow id: lowercase letters, digits and dashes, starting with a letter or digit (at most 64)') });
const ScenarioParams = FlowParams.extend({ scenarioId: z.uuid({ error: 'scenarioId: a scenario id (UUID)' }) });

export function flowScenarioRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { db } = ctx.database;

  async function flowOr404(flowId: string) {
    if (!(await getFlow(db, flowId))) throw notFound('Flow');
  }
  const named = async <T>(name: string, write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (err) {
      if (err instanceof ScenarioNameTakenError) throw conflict(err.message);
      throw err;
    }
  };

  route(router, {
    method: 'get', path: '/api/flows/:flowId/scenarios', operationId: 'listFlowScenarios', notFound: 'No such flow', summary: 'The flow\'s test scenarios, oldest first (run on every publish)', tag: 'flows', access: 'admin',
    params: FlowParams, response: z.object({ scenarios: z.array(FlowScenarioSchema) }),
  }, async ({ params }) => {
    await flowOr404(params.flowId);
    return { scenarios: await listFlowScenarios(db, params.flowId) };
  });

  route(router, {
    method: 'post', path: '/api/flows/:flowId/scenarios', operationId: 'createFlowScenario', notFound: 'No such flow', conflict: 'the name is taken, or the flow has the most scenarios allowed', summary: 'Save a test scenario recorded in the preview: the visitor\'s inputs (web hooks as stubs) and the texts expected after each', tag: 'flows', access: 'admin',
    params: FlowParams, body: z.object({ name: ScenarioNameSchema, script: ScenarioScriptSchema }).strict(), response: FlowScenarioSchema, status: 201,
  }, async ({ params, body, principal }) => {
    await flowOr404(params.flowId);
    if ((await countFlowScenarios(db, params.flowId)) >= MAX_SCENARIOS_PER_FLOW) throw conflict(`A flow has at most ${MAX_SCENARIOS_PER_FLOW} scenarios; delete one first`);
    return named(body.name, () => createFlowScenario(db, {
      flowId: params.flowId, name: body.name, script: body.script, createdBy: principal?.kind === 'staff' ? principal.userId : null,
    }));
  });

  route(router, {
    method: 'patch', path: '/api/flows/:flowId/scenarios/:scenarioId', operationId: 'renameFlowScenario', notFound: 'No such flow or scenario', conflict: 'the name is taken', summary: 'Rename a test scenario', tag: 'flows', access: 'admin',
    params: ScenarioParams, body: z.object({ name: ScenarioNameSchema }).strict(), response: FlowScenarioSchema,
  }, async ({ params, body }) => {
    const scenario = await named(body.name, () => renameFlowScenario(db, params.flowId, params.scenarioId, body.name));
    if (!scenario) throw notFound('Scenario');
    return scenario;
  });

  route(router, {
    method: 'delete', path: '/api/flows/:flowId/scenarios/:scenarioId', operationId: 'deleteFlowScenario', notFound: 'No such flow or scenario', summary: 'Delete a test scenario (versions published with it keep their copy)', tag: 'flows', access: 'admin',
    params: ScenarioParams,
  }, async ({ params }) => {
    if (!(await deleteFlowScenario(db, params.flowId, params.scenarioId))) throw notFound('Scenario');
    return { ok: true };
  });

  return router;
}
