import type { z } from 'zod';
import { schemaKit } from '../../../domain/flow/nodes/kit.js';
import { NODE_TYPES } from '../../../domain/flow/nodes/registry.js';
import { BUILTIN_VARIABLES } from '../../../domain/flow/schema.js';
import { FlowSettingsSchema } from '../../../domain/flow/settings.js';
import { fieldOf } from './schemaForm.js';
import type { DesignerSpecs } from './specs.js';

/** Reads every registered node type's config schema and the flow settings schema (zod is loaded here). */
export function computeSpecs(): DesignerSpecs {
  const configs: DesignerSpecs['configs'] = {};
  for (const type of NODE_TYPES) {
    const schema = type.schema(schemaKit) as unknown as z.ZodObject;
    configs[type.type] = fieldOf(schema.shape.config as z.ZodType);
  }
  return { configs, types: NODE_TYPES.map((t) => t.type), settings: fieldOf(FlowSettingsSchema), builtins: [...BUILTIN_VARIABLES] };
}
