import { Router } from 'express';
import { z } from 'zod';
import {
  AlreadyLiveError, createFlow, FlowConflictError, FlowRevisionConflictError, getFlow, getFlowVersion, listFlows, listFlowVersions, publishFlowVersion,
  rollBackFlow, updateFlowDraft,
} from '../../db/flows.js';
import { ChannelSchema } from '../../domain/conversation.js';
import { DEFAULT_FLOW } from '../../domain/flow/default-flow.js';
import { validateFlow } from '../../domain/flow/validate.js';
import { FlowDraftSchema, FlowDraftShape, flowDefinitionJsonSchema } from '../../domain/flow/draft.js';
import type { ApiContext } from '../context.js';
import { conflict, notFound } from '../http/errors.js';
import { INT4_MAX, integerParam } from '../http/integers.js';
import { route } from '../http/route.js';
import {
  FlowDetailSchema, FlowProblemSchema as ProblemSchema, FlowSummarySchema, FlowVersionSchema,
  FlowVersionSummarySchema as VersionSummarySchema, InvalidFlowSchema, ScenariosFailedSchema,
} from '../../domain/contracts/rest.js';
import { checkFlowScenarios } from '../services/flow-scenarios.js';

/** Admin API for service flows: drafts are edited freely, published versions are immutable. */

const FlowIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'flow id: lowercase letters, digits and dashes, starting with a letter or digit (at most 64)');
const FlowParams = z.object({ flowId: FlowIdSchema });
const VersionParams = FlowParams.extend({ version: integerParam('version', { min: 1, max: INT4_MAX }) }); // flow_versions.version is int4
const NameSchema = z.string().trim().min(1, 'name must not be empty').max(100);
/** A definition to check: any JSON object (validate lists every problem it has). */
const AnyDefinitionSchema = z.record(z.string(), z.unknown(), { error: 'definition must be a JSON object (a flow definition)' });
/** In the OpenAPI document a draft is a FlowDraft and a published definition a FlowDefinition (issue 20), not open objects. */
const FlowDetailResponse = FlowDetailSchema.extend({ draft: FlowDraftShape });
const PublishedDefinition = z.any().meta(flowDefinitionJsonSchema()).pipe(FlowVersionSchema.shape.definition);
const FlowVersionResponse = FlowVersionSchema.extend({ definition: PublishedDefinition });


const conflictMessage = (err: FlowConflictError, body: { id?: string; channel?: string }) =>
  err.constraint === 'id' ? `A flow with id "${body.id}" already exists` : `Another flow already serves channel "${body.channel}"`;

export function flowRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { db } = ctx.database;

  async function flowOr404(flowId: string) {
    const flow = await getFlow(db, flowId);
    if (!flow) throw notFound('Flow');
    return flow;
  }

  route(router, {
    method: 'get', path: '/api/flows', operationId: 'listFlows', summary: 'Service flows, each with its latest published version', tag: 'flows', access: 'admin',
    response: z.object({ flows: z.array(FlowSummarySchema) }),
  }, async () => ({ flows: await listFlows(db) }));

  route(router, {
    method: 'post', path: '/api/flows', operationId: 'createFlow', conflict: 'the id or the channel is taken', summary: 'Create a flow for a channel (its draft starts as the default flow unless given)', tag: 'flows', access: 'admin',
    body: z.object({ id: FlowIdSchema, name: NameSchema, channel: ChannelSchema, draft: FlowDraftSchema.optional() }).strict(),
    response: FlowDetailResponse, status: 201,
  }, async ({ body }) => {
    try {
      return await createFlow(db, { id: body.id, name: body.name, channel: body.channel, draft: body.draft ?? structuredClone(DEFAULT_FLOW) });
    } catch (err) {
      if (err instanceof FlowConflictError) throw conflict(conflictMessage(err, body));
      throw err;
    }
  });

  route(router, {
    method: 'get', path: '/api/flows/:flowId', operationId: 'getFlow', notFound: 'No such flow', summary: 'A flow with its draft and the list of published versions', tag: 'flows', access: 'admin',
    params: FlowParams, response: FlowDetailResponse,
  }, async ({ params }) => flowOr404(params.flowId));

  route(router, {
    method: 'put', path: '/api/flows/:flowId', operationId: 'saveFlowDraft', notFound: 'No such flow', conflict: 'the channel is served by another flow, or the draft moved past the given revision', summary: 'Save the draft (optionally rename or move to another channel); published versions are untouched. With `revision` (the one the editor loaded), a draft saved by someone else since is never overwritten: 409', tag: 'flows', access: 'admin',
    params: FlowParams,
    body: z.object({
      draft: FlowDraftSchema, name: NameSchema.optional(), channel: ChannelSchema.optional(),
      revision: z.number().int().min(0).max(INT4_MAX).optional().describe('the draft revision this edit started from'),
    }).strict(),
    response: FlowDetailResponse,
  }, async ({ params, body }) => {
    try {
      const flow = await updateFlowDraft(db, params.flowId, body);
      if (!flow) throw notFound('Flow');
      return flow;
    } catch (err) {
      if (err instanceof FlowConflictError) throw conflict(conflictMessage(err, body));
      if (err instanceof FlowRevisionConflictError) throw conflict(err.message);
      throw err;
    }
  });

  route(router, {
    method: 'post', path: '/api/flows/:flowId/validate', operationId: 'validateFlow', notFound: 'No such flow', summary: 'Check a definition (the body\'s, else the saved draft) and list every problem with its node id', tag: 'flows', access: 'admin',
    params: FlowParams, body: z.object({ definition: AnyDefinitionSchema.optional() }).strict(),
    response: z.object({ ok: z.boolean(), problems: z.array(ProblemSchema) }),
  }, async ({ params, body }) => {
    const flow = await flowOr404(params.flowId);
    const result = validateFlow(body.definition ?? flow.draft, { outbound: ctx.config.outbound });
    return { ok: result.ok, problems: result.ok ? [] : result.problems };
  });

  route(router, {
    method: 'post', path: '/api/flows/:flowId/publish', operationId: 'publishFlow', notFound: 'No such flow', summary: 'Publish the saved draft as the next immutable version; new conversations on the channel use it', tag: 'flows', access: 'admin',
    params: FlowParams, body: z.object({}).strict(), response: FlowVersionResponse, status: 201,
    responses: { 422: { description: 'The draft has problems, or one of its test scenarios fails (issue 20); nothing was published', schema: z.union([InvalidFlowSchema, ScenariosFailedSchema]) } },
  }, async ({ params, principal, res }) => {
    const flow = await flowOr404(params.flowId);
    const result = validateFlow(flow.draft, { outbound: ctx.config.outbound });
    if (!result.ok) {
      const count = result.problems.length;
      res.status(422).json({
        error: { code: 'invalid_flow', message: `The draft has ${count} problem${count === 1 ? '' : 's'}; nothing was published` },
        problems: result.problems,
      });
      return;
    }
    const scenarios = await checkFlowScenarios(db, params.flowId, result.flow);
    if (scenarios.failures.length > 0) {
      const count = scenarios.failures.length;
      res.status(422).json({
        error: { code: 'scenario_failed', message: `${count} test scenario${count === 1 ? '' : 's'} failed; nothing was published. First: ${scenarios.failures[0].message}` },
        failures: scenarios.failures,
      });
      return;
    }
    const version = await publishFlowVersion(db, params.flowId, result.flow, principal?.kind === 'staff' ? principal.userId : null, scenarios.passed);
    if (!version) throw notFound('Flow');
    return version;
  });

  route(router, {
    method: 'get', path: '/api/flows/:flowId/versions', operationId: 'listFlowVersions', notFound: 'No such flow', summary: 'Published versions, oldest first', tag: 'flows', access: 'admin',
    params: FlowParams, response: z.object({ versions: z.array(VersionSummarySchema) }),
  }, async ({ params }) => {
    await flowOr404(params.flowId);
    return { versions: await listFlowVersions(db, params.flowId) };
  });

  route(router, {
    method: 'get', path: '/api/flows/:flowId/versions/:version', operationId: 'getFlowVersion', notFound: 'No such flow or version', summary: 'One published version with its full definition', tag: 'flows', access: 'admin',
    params: VersionParams, response: FlowVersionResponse,
  }, async ({ params }) => {
    const version = await getFlowVersion(db, params.flowId, params.version);
    if (!version) throw notFound(`Version ${params.version} of flow "${params.flowId}"`);
    return version;
  });

  // ---- issue 20: restore a version as the draft, roll the live version back ----
  route(router, {
    method: 'post', path: '/api/flows/:flowId/versions/:version/restore', operationId: 'restoreFlowVersion', notFound: 'No such flow or version',
    conflict: 'the draft moved past the given revision (someone else saved it since)',
    summary: 'Replace the draft with a published version\'s definition (like a save: `revision` is the draft revision the editor loaded, and a draft saved by someone else since is never overwritten: 409). Nothing is published', tag: 'flows', access: 'admin',
    params: VersionParams,
    body: z.object({ revision: z.number().int().min(0).max(INT4_MAX).describe('the draft revision this restore started from') }).strict(),
    response: FlowDetailResponse,
  }, async ({ params, body }) => {
    const version = await getFlowVersion(db, params.flowId, params.version);
    if (!version) throw notFound(`Version ${params.version} of flow "${params.flowId}"`);
    try {
      const flow = await updateFlowDraft(db, params.flowId, { draft: structuredClone(version.definition), revision: body.revision });
      if (!flow) throw notFound('Flow');
      return flow;
    } catch (err) {
      if (err instanceof FlowRevisionConflictError) throw conflict(err.message);
      throw err;
    }
  });

  route(router, {
    method: 'post', path: '/api/flows/:flowId/versions/:version/rollback', operationId: 'rollBackFlow', notFound: 'No such flow or version',
    conflict: 'the version is the live one already',
    summary: 'Make an older version live again: its definition is published as the next version, marked `restoredFrom`. New conversations get it; running ones keep the version they started on. The draft is untouched', tag: 'flows', access: 'admin',
    params: VersionParams, body: z.object({}).strict(), response: FlowVersionResponse, status: 201,
  }, async ({ params, principal }) => {
    try {
      const version = await rollBackFlow(db, params.flowId, params.version, principal?.kind === 'staff' ? principal.userId : null);
      if (!version) throw notFound(`Version ${params.version} of flow "${params.flowId}"`);
      return version;
    } catch (err) {
      if (err instanceof AlreadyLiveError) throw conflict(err.message);
      throw err;
    }
  });

  return router;
}
