import { describe, expect, it } from 'vitest';
import { validateFlow, type FlowProblem } from '../../../domain/flow/validate.js';

type Raw = Record<string, unknown>;

const msg = (id: string, text: string, next?: string): Raw => ({ id, type: 'message', config: { text }, edges: next ? [{ on: 'next', to: next }] : [] });
const fin = (id: string): Raw => ({ id, type: 'end', config: {} });

function problems(input: unknown): FlowProblem[] {
  const result = validateFlow(input);
  return result.ok ? [] : result.problems;
}

/** `code@nodeId` for each problem, for compact assertions. */
function codes(input: unknown): string[] {
  return problems(input).map((p) => `${p.code}@${p.nodeId ?? '-'}`);
}

describe('validateFlow', () => {
  it('accepts a sound flow and applies defaults', () => {
    const result = validateFlow({
      start: 'hi',
      nodes: [msg('hi', 'Hello ${visitorName}', 'menu'), { id: 'menu', type: 'menu', config: { header: 'Pick', items: [{ id: 'a', content: 'A' }] }, edges: [{ on: 'a', to: 'bye' }] }, fin('bye')],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const menu = result.flow.nodes[1];
    expect(menu?.type === 'menu' && menu.config.maxRetries).toBe(2);
    expect(result.flow.settings.visitorTimeoutSec).toBe(600);
    expect(result.flow.settings.rating.enabled).toBe(true);
    expect(result.flow.settings.workingHours).toBeNull();
  });

  it('rejects unknown keys with their path (a misspelt visitorTimeoutSecs no longer keeps the 600 s default silently)', () => {
    const found = problems({
      start: 'a', nodes: [{ ...msg('a', 'x', 'b'), config: { text: 'x', txt: 'y' } }, fin('b')], settings: { visitorTimeoutSecs: 30 }, extra: true,
    });
    expect(found).toEqual([
      { nodeId: 'a', code: 'unknown_key', message: 'unknown key "nodes[0].config.txt" (did you mean "text"?): it would be ignored' },
      { nodeId: null, code: 'unknown_key', message: 'unknown key "settings.visitorTimeoutSecs" (did you mean "visitorTimeoutSec"?): it would be ignored' },
      { nodeId: null, code: 'unknown_key', message: 'unknown key "extra": it would be ignored' },
    ]);
    expect(codes({ start: 'a', nodes: [msg('a', 'x', 'b'), fin('b')], settings: { visitorTimeoutSec: 30 } })).toEqual([]);
  });

  it('reports schema errors against the node they belong to', () => {
    const found = problems({ start: 'a', nodes: [msg('a', 'x', 'b'), { id: 'b', type: 'message', config: { text: '' } }] });
    expect(found).toEqual([{ nodeId: 'b', code: 'schema_error', message: expect.stringContaining('config.text') }]);
  });

  it('reports flow-level schema errors without a node', () => {
    const found = problems({ start: 'a', nodes: [msg('a', 'x')], settings: { visitorTimeoutSec: -1, workingHours: { weekly: [{ day: 1, start: '9:00', end: '25:00' }] } } });
    expect(found.map((p) => [p.nodeId, p.code])).toEqual([
      [null, 'schema_error'],
      [null, 'schema_error'],
      [null, 'schema_error'],
    ]);
    expect(found.map((p) => p.message)).toEqual([
      expect.stringContaining('settings.visitorTimeoutSec'),
      expect.stringContaining('settings.workingHours.weekly[0].start'),
      expect.stringContaining('settings.workingHours.weekly[0].end'),
    ]);
  });

  it('rejects input that is not a flow at all', () => {
    expect(codes(null)).toEqual(['schema_error@-', 'no_start_node@-']);
    expect(codes({ start: 'a', nodes: [] })).toEqual(['schema_error@-', 'no_start_node@-']);
  });

  it('reports unknown node types', () => {
    const found = problems({ start: 'a', nodes: [msg('a', 'x', 'b'), { id: 'b', type: 'carousel', config: {} }, { id: 'c', config: {} }] });
    expect(found.filter((p) => p.code === 'unknown_node_type')).toEqual([
      { nodeId: 'b', code: 'unknown_node_type', message: expect.stringContaining('"carousel"') },
      { nodeId: 'c', code: 'unknown_node_type', message: expect.stringContaining('missing') },
    ]);
  });

  it('reports a missing start node', () => {
    expect(codes({ nodes: [msg('a', 'x')] })).toContain('no_start_node@-');
    expect(codes({ start: 'ghost', nodes: [msg('a', 'x')] })).toEqual(['no_start_node@-']);
    expect(problems({ start: 'ghost', nodes: [msg('a', 'x')] })[0]?.message).toContain('"ghost"');
  });

  it('reports duplicate node ids', () => {
    expect(codes({ start: 'a', nodes: [msg('a', 'x', 'b'), msg('b', 'y'), msg('b', 'z')] })).toEqual(['duplicate_node_id@b']);
  });

  it('reports edges to missing nodes', () => {
    const found = problems({ start: 'a', nodes: [msg('a', 'x', 'nowhere')] });
    expect(found).toEqual([{ nodeId: 'a', code: 'dangling_edge', message: expect.stringContaining('"nowhere"') }]);
  });

  it('reports nodes no path reaches', () => {
    expect(codes({ start: 'a', nodes: [msg('a', 'x'), msg('island', 'y', 'island2'), msg('island2', 'z')] })).toEqual([
      'unreachable_node@island',
      'unreachable_node@island2',
    ]);
  });

  describe('undeclared variables', () => {
    it('reports placeholders in texts and condition variables that nothing declares', () => {
      const found = problems({
        start: 'a',
        nodes: [
          msg('a', 'Hi ${visitorName}, order ${orderId} for ${orderId}', 'c'),
          { id: 'c', type: 'condition', config: { all: [{ op: 'equals', variable: 'tier', value: 'gold' }, { op: 'workingHours' }] }, edges: [{ on: 'true', to: 'h' }] },
          { id: 'h', type: 'handoff', config: { connected: 'You are with ${agentName} (${agentTitle})' } },
        ],
        settings: { closeText: 'Bye ${nickname}' },
      });
      expect(found.map((p) => `${p.code}@${p.nodeId ?? '-'}`)).toEqual(['undeclared_variable@a', 'undeclared_variable@c', 'undeclared_variable@h', 'undeclared_variable@-']);
      expect(found.map((p) => p.message)).toEqual([
        expect.stringContaining('"orderId"'),
        expect.stringContaining('"tier"'),
        expect.stringContaining('"agentTitle"'),
        expect.stringContaining('"nickname"'),
      ]);
    });

    it('accepts a Tencent Cloud Desk template’s variables as written (${StaffNickName}, ${QueuePosition}, ${WaitNo})', () => {
      expect(codes({
        start: 'h',
        nodes: [{ id: 'h', type: 'handoff', config: { connecting: 'You are number ${QueuePosition} (ticket ${WaitNo}).', connected: 'You are now chatting with ${StaffNickName}.' } }],
      })).toEqual([]);
    });

    it('reports variables an http node sends without anything setting them', () => {
      expect(codes({ start: 'h', nodes: [{ id: 'h', type: 'http', config: { url: 'https://x.example/', send: ['ghost'] } }] })).toEqual(['undeclared_variable@h']);
    });

    it('accepts builtin, declared, form and http-mapped variables', () => {
      const result = validateFlow({
        start: 'f',
        variables: ['orderId'],
        nodes: [
          { id: 'f', type: 'form', config: { prompt: 'Email, ${visitorName}?', formType: 'text', variable: 'email' }, edges: [{ on: 'next', to: 'h' }] },
          { id: 'h', type: 'http', config: { url: 'https://crm.example.com/lookup', send: ['email', 'orderId'], map: { tier: 'customer.tier' } }, edges: [{ on: 'next', to: 'm' }] },
          msg('m', '${email} ${orderId} ${tier} ${channel} ${QueuePosition} ${WaitNo} ${agentName}'),
        ],
      });
      expect(result.ok).toBe(true);
    });
  });

  it('reports an options form without options', () => {
    const form = (options?: string[]) => ({ id: 'f', type: 'form', config: { prompt: 'Pick', formType: 'options', variable: 'v', ...(options ? { options } : {}) } });
    expect(codes({ start: 'f', nodes: [form()] })).toEqual(['empty_options@f']);
    expect(codes({ start: 'f', nodes: [form([])] })).toEqual(['empty_options@f']);
    expect(codes({ start: 'f', nodes: [form(['A'])] })).toEqual([]);
  });

  it('reports a menu without items', () => {
    expect(codes({ start: 'm', nodes: [{ id: 'm', type: 'menu', config: { header: 'Pick', items: [] } }] })).toEqual(['empty_menu@m']);
  });

  it('reports invalid regular expressions in form rules and conditions', () => {
    const found = codes({
      start: 'f',
      nodes: [
        { id: 'f', type: 'form', config: { prompt: 'Code?', formType: 'text', variable: 'code', rules: [{ type: 'regex', pattern: '[a-', message: 'bad' }] }, edges: [{ on: 'next', to: 'c' }] },
        { id: 'c', type: 'condition', config: { all: [{ op: 'matches', variable: 'code', value: '(?<' }] } },
      ],
    });
    expect(found).toEqual(['invalid_regex@f', 'invalid_regex@c']);
  });

  it('reports edges a node type never takes', () => {
    const found = problems({
      start: 'm',
      nodes: [
        {
          id: 'm',
          type: 'menu',
          config: { header: 'Pick', items: [{ id: 'a', content: 'A' }] },
          edges: [{ on: 'a', to: 'x' }, { on: 'b', to: 'x' }, { on: 'fallback', to: 'x' }],
        },
        { ...msg('x', 'x', 'e'), edges: [{ on: 'next', to: 'e' }, { on: 'true', to: 'e' }] },
        { ...fin('e'), edges: [{ on: 'next', to: 'x' }] },
      ],
    });
    expect(found.map((p) => `${p.code}@${p.nodeId}`)).toEqual(['unknown_edge@m', 'unknown_edge@x', 'unknown_edge@e']);
    expect(found[0]?.message).toContain('"b"');
    expect(found[0]?.message).toContain('"a"');
  });

  it('reports two edges with the same name on one node', () => {
    expect(codes({ start: 'a', nodes: [{ ...msg('a', 'x'), edges: [{ on: 'next', to: 'b' }, { on: 'next', to: 'c' }] }, fin('b'), fin('c')] })).toEqual(['duplicate_edge@a']);
  });

  it('reports menu items that share an id or use the reserved fallback id', () => {
    const menu = { id: 'm', type: 'menu', config: { header: 'Pick', items: [{ id: 'a', content: 'A' }, { id: 'a', content: 'B' }, { id: 'fallback', content: 'C' }] } };
    expect(codes({ start: 'm', nodes: [menu] })).toEqual(['duplicate_item_id@m', 'reserved_item_id@m']);
  });

  it('reports a range rule whose minimum is above its maximum', () => {
    const form = { id: 'f', type: 'form', config: { prompt: 'Age?', formType: 'text', variable: 'age', rules: [{ type: 'range', min: 10, max: 1, message: 'x' }] } };
    expect(codes({ start: 'f', nodes: [form] })).toEqual(['invalid_range@f']);
  });

  it('reports an unknown working-hours time zone', () => {
    expect(codes({ start: 'a', nodes: [msg('a', 'x')], settings: { workingHours: { timeZone: 'Europe/Atlantis' } } })).toEqual(['invalid_time_zone@-']);
  });

  it('reports every problem at once, even when some nodes do not parse', () => {
    const found = codes({
      start: 'welcome',
      nodes: [
        msg('welcome', 'Hello ${who}', 'menu'),
        { id: 'menu', type: 'menu', config: { header: 'Pick', items: [{ id: 'a', content: 'A' }] }, edges: [{ on: 'a', to: 'gone' }, { on: 'zzz', to: 'welcome' }] },
        { id: 'broken', type: 'form', config: { prompt: '', formType: 'text', variable: '1bad' }, edges: [{ on: 'next', to: 'void' }] },
        { id: 'weird', type: 'teleport', config: {} },
        msg('welcome', 'dup'),
        { id: 'f', type: 'form', config: { prompt: 'Pick', formType: 'options', variable: 'v', rules: [{ type: 'regex', pattern: '(', message: 'x' }] } },
      ],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'schema_error@broken',
        'unknown_node_type@weird',
        'duplicate_node_id@welcome',
        'dangling_edge@menu',
        'unknown_edge@menu',
        'dangling_edge@broken',
        'unreachable_node@broken',
        'unreachable_node@weird',
        'unreachable_node@f',
        'undeclared_variable@welcome',
        'empty_options@f',
        'invalid_regex@f',
      ]),
    );
    expect(found.filter((c) => c === 'schema_error@broken')).toHaveLength(2); // empty prompt and bad variable name
  });
});
