import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_TYPES } from '../../../domain/flow/nodes/registry.js';
import { validateFlow } from '../../../domain/flow/validate.js';

/** docs/flows.md shows an example node per type; admins copy them, so they must be valid as written. */
describe('the flow format page’s examples', () => {
  const md = fs.readFileSync(new URL('../../../docs/flows.md', import.meta.url), 'utf8');
  const examples = [...md.matchAll(/^\| `(\w+)` \| [^|]+ \| `(\{.*\})` \|$/gm)].map((m) => ({ type: m[1], node: JSON.parse(m[2]) as { type: string; id: string } }));

  it('covers every node type, each example of its own type', () => {
    expect(examples.map((e) => e.type).sort()).toEqual(NODE_TYPES.map((t) => t.type).sort());
    for (const e of examples) expect(e.node.type).toBe(e.type);
  });

  it('makes a flow the validator accepts (only the rating node is left unreachable)', () => {
    const result = validateFlow({ start: 'hi', variables: ['tier'], nodes: examples.map((e) => e.node), settings: {} });
    expect(result.ok ? [] : result.problems.map((p) => `${p.code}@${p.nodeId}`)).toEqual(['unreachable_node@rate']);
  });
});
