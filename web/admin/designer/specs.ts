import { emptyValue, type FieldSpec } from './schemaForm.js';
import type { DraftNode } from './graph.js';

/**
 * What the designer reads from the zod schemas (node configs, flow settings) and the schema module's
 * system variables. Computed where zod is loaded (the designer's worker, see designer.worker.ts) so
 * zod's schema builders never join the bundles every admin page loads.
 */
export interface DesignerSpecs {
  /** Node type → its `config` field, in the registry's order (the palette). */
  configs: Record<string, FieldSpec>;
  types: string[];
  settings: FieldSpec;
  builtins: string[];
}

/** A new node of `type` with its schema's defaults (required texts start empty: the validator flags them). */
export function newNode(specs: DesignerSpecs, type: string, id: string, position: { x: number; y: number }): DraftNode {
  const spec = specs.configs[type];
  const config = spec ? (emptyValue(spec) as Record<string, unknown>) : {};
  return { id, type, config, edges: [], position: { x: Math.round(position.x), y: Math.round(position.y) } };
}
