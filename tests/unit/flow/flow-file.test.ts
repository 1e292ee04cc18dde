import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW } from '../../../domain/flow/default-flow.js';
import { checkFlowDefinition, readFlowFile } from '../../../domain/flow/flow-file.js';

const messages = (text: string) => {
  const result = readFlowFile(text);
  return result.ok ? [] : result.problems.map((p) => `${p.code}@${p.nodeId ?? '-'}: ${p.message}`);
};

describe('reading a flow file (designer import, raw JSON view)', () => {
  it('accepts a published flow and an unfinished draft as they are', () => {
    expect(readFlowFile(JSON.stringify(DEFAULT_FLOW))).toEqual({ ok: true, definition: JSON.parse(JSON.stringify(DEFAULT_FLOW)) });
    // an empty text, an unreachable node, a dangling edge, an empty canvas: things to finish in the designer
    const unfinished = { start: 'hi', nodes: [{ id: 'hi', type: 'message', config: { text: '' }, edges: [{ on: 'next', to: 'gone' }] }, { id: 'lost', type: 'end', config: {} }] };
    expect(readFlowFile(JSON.stringify(unfinished)).ok).toBe(true);
    expect(readFlowFile(JSON.stringify({ start: '', variables: [], nodes: [], settings: {} })).ok).toBe(true);
    expect(readFlowFile(JSON.stringify({ start: 'a', nodes: [{ id: 'a', type: 'message', config: { text: 'x' } }], settings: { visitorTimeoutSec: -4 } })).ok).toBe(true);
  });

  it('refuses what is not JSON or not an object, saying where', () => {
    expect(messages('{"start": "a",')).toEqual([expect.stringMatching(/^not_json@-: not JSON: .*JSON/)]);
    expect(messages('[1, 2]')).toEqual(['not_an_object@-: the file must hold one JSON object (a flow definition)']);
    expect(messages('"flow"')).toHaveLength(1);
  });

  it('refuses unknown keys and node types and a wrong shape, each with its path', () => {
    const file = {
      start: 'a',
      nodes: [
        { id: 'a', type: 'message', config: { text: 'Hi', txt: 'typo' }, edges: [{ on: 'next' }] },
        { id: 'b', type: 'teleport', config: {} },
        { type: 'end', config: {} },
      ],
      settings: { visitorTimeoutSecs: 30 },
      author: 'someone',
    };
    expect(messages(JSON.stringify(file))).toEqual([
      'schema_error@a: nodes[0].edges[0].to: Invalid input: expected string, received undefined',
      'schema_error@-: nodes[2].id: Invalid input: expected string, received undefined',
      'unknown_node_type@b: unknown node type "teleport"; expected one of message, menu, form, condition, http, handoff, rating, end',
    ]);
    // once the shape is right, the unknown keys are named with their paths
    const shaped = { ...file, nodes: [{ id: 'a', type: 'message', config: { text: 'Hi', txt: 'typo' } }] };
    expect(messages(JSON.stringify(shaped))).toEqual([
      'unknown_key@a: unknown key "nodes[0].config.txt" (did you mean "text"?): it would be ignored',
      'unknown_key@-: unknown key "settings.visitorTimeoutSecs" (did you mean "visitorTimeoutSec"?): it would be ignored',
      'unknown_key@-: unknown key "author": it would be ignored',
    ]);
  });

  it('refuses two nodes with one id', () => {
    const result = checkFlowDefinition({ start: 'a', nodes: [{ id: 'a', type: 'end', config: {} }, { id: 'a', type: 'end', config: {} }] });
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['duplicate_node_id']);
  });
});
