import { z } from 'zod';
import { checkFlowDefinition } from './flow-file.js';
import { EdgeSchema, VariableNameSchema } from './nodes/kit.js';
import { NODE_TYPES } from './nodes/registry.js';
import { FlowDefinitionSchema } from './schema.js';

const NODE_TYPE_NAMES = NODE_TYPES.map((t) => t.type) as [string, ...string[]];

/**
 * A flow's draft as the API saves it (issue 20): a Parley flow, possibly unfinished. Its shape is strict: the
 * four keys of a flow, nodes with an id, a known type, a position, edges and a `config` object; a node's `config`
 * and the flow's `settings` are the admin's to finish (an empty text, a missing option), but they must not carry
 * keys their node type or the settings do not know, and two nodes never share an id (domain/flow/flow-file.ts,
 * the check the designer's import and raw JSON view run). Publishing checks everything (`validateFlow`).
 */
export const FlowDraftShape = z.object({
  start: z.string().max(64).optional(),
  variables: z.array(VariableNameSchema).optional(),
  nodes: z.array(z.object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'node id: letters, digits, _ or -'),
    type: z.enum(NODE_TYPE_NAMES),
    position: z.object({ x: z.number(), y: z.number() }).strict().optional(),
    config: z.record(z.string(), z.unknown()).optional().describe('the settings of its node type (see FlowDefinition); a draft may leave them unfinished'),
    edges: z.array(EdgeSchema.strict()).optional(),
  }).strict()).optional(),
  settings: z.record(z.string(), z.unknown()).optional().describe('flow-wide settings (see FlowDefinition); a draft may leave them unfinished'),
}).strict().describe('A flow definition, possibly unfinished (FlowDraft)');

/** A draft to save: its shape, then what the designer's import refuses (unknown keys in a config, duplicate ids). */
export const FlowDraftSchema = FlowDraftShape.superRefine((draft, ctx) => {
  const checked = checkFlowDefinition(draft);
  if (!checked.ok) for (const problem of checked.problems) ctx.addIssue({ code: 'custom', message: problem.message, path: [] });
});

/**
 * A published flow definition as JSON Schema, for the OpenAPI document: every node type with its own `config`
 * (the zod schemas of domain/flow/nodes/), as stored: what was published, a field with a default may be absent.
 */
export function flowDefinitionJsonSchema(): Record<string, unknown> {
  const { $schema: _, ...schema } = z.toJSONSchema(FlowDefinitionSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return { ...schema, description: 'A published flow definition (FlowDefinition): docs/flows.md describes each node type' };
}
