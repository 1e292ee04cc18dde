import { describe, expect, it } from 'vitest';
import { FlowNodeSchema } from '../../../../domain/flow/schema.js';
import { NODE_TYPES, edgeNamesFor, nodeTypeOf } from '../../../../domain/flow/nodes/registry.js';

describe('node type registry', () => {
  it('lists each type once, under the name its schema declares, in the schema order', () => {
    const names = NODE_TYPES.map((t) => t.type);
    expect(new Set(names).size).toBe(names.length);
    expect(FlowNodeSchema.options.map((option) => option.shape.type.value)).toEqual(names);
  });

  it('finds a type by name and nothing for unknown or inherited names', () => {
    for (const type of NODE_TYPES) expect(nodeTypeOf(type.type)).toBe(type);
    for (const name of ['nope', '__proto__', 'toString', 'constructor']) expect(nodeTypeOf(name)).toBeUndefined();
  });

  it('names the edges a node may take, per type and per node', () => {
    const menu = FlowNodeSchema.parse({ id: 'm', type: 'menu', config: { header: 'h', items: [{ id: 'a', content: 'A' }, { id: 'b', content: 'B' }] } });
    expect(edgeNamesFor(menu)).toEqual(['fallback', 'a', 'b']);
    const message = FlowNodeSchema.parse({ id: 'x', type: 'message', config: { text: 'hi' } });
    expect(edgeNamesFor(message)).toEqual(['next']);
  });
});
