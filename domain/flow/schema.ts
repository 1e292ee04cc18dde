import { z } from 'zod';
import { schemaKit, VariableNameSchema } from './nodes/kit.js';
import { NODE_TYPES } from './nodes/registry.js';
import { FlowSettingsSchema } from './settings.js';

export { EdgeSchema, VariableNameSchema, type Edge } from './nodes/kit.js';
export {
  FlowSettingsSchema, MAX_FLOW_TIMER_SEC, MIN_QUEUE_REMINDER_SEC, WorkingHoursSchema, type FlowSettings, type WorkingHours,
} from './settings.js';

/** The zod schemas the node types build, as a tuple in the registry's order. */
type SchemasOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends { schema: (kit: never) => infer S } ? S : never };
type NodeSchemas = SchemasOf<typeof NODE_TYPES>;

/** Every node type's schema (domain/flow/nodes/<type>/node.ts), in the registry's order. */
export const FlowNodeSchema = z.discriminatedUnion('type', NODE_TYPES.map((type) => type.schema(schemaKit)) as unknown as NodeSchemas);
export type FlowNode = z.infer<typeof FlowNodeSchema>;
export type FlowNodeType = FlowNode['type'];
export type NodeOf<T extends FlowNodeType> = Extract<FlowNode, { type: T }>;

/** A form's answer check (form node). */
export type ValidationRule = NodeOf<'form'>['config']['rules'][number];
/** One test of a condition node. */
export type ConditionTest = NodeOf<'condition'>['config']['all'][number];

export const FlowDefinitionSchema = z.object({
  start: z.string().min(1),
  variables: z.array(VariableNameSchema).default([]),
  nodes: z.array(FlowNodeSchema).min(1),
  settings: FlowSettingsSchema.prefault({}),
});
export type FlowDefinition = z.infer<typeof FlowDefinitionSchema>;
export type FlowDefinitionInput = z.input<typeof FlowDefinitionSchema>;

/** Variables every conversation provides without a node setting them. */
export const BUILTIN_VARIABLES = ['visitorName', 'agentName', 'QueuePosition', 'WaitNo', 'channel', 'EstimatedWait'] as const;
