import { describe, expect, it } from 'vitest';
import { readFlowGraph } from '../../../web/admin/components/flows/flowGraph.js';
import { formatDuration, secondsSince } from '../../../web/common/format.js';

describe('readFlowGraph (the flow editor diagram)', () => {
  it('reads nodes at their positions and edges between them', () => {
    const g = readFlowGraph({
      start: 'a',
      nodes: [
        { id: 'a', type: 'message', position: { x: 0, y: 0 }, edges: [{ on: 'next', to: 'b' }] },
        { id: 'b', type: 'end', position: { x: 10, y: 120 } },
      ],
    });
    expect(g.start).toBe('a');
    expect(g.nodes).toEqual([
      { id: 'a', type: 'message', x: 0, y: 0, placed: false },
      { id: 'b', type: 'end', x: 10, y: 120, placed: false },
    ]);
    expect(g.edges).toEqual([{ from: 'a', to: 'b', on: 'next', dangling: false }]);
  });

  it('places nodes without a position and marks edges to missing nodes', () => {
    const g = readFlowGraph({ nodes: [{ id: 'x', type: 'menu', edges: [{ on: 'agent', to: 'nowhere' }] }, { id: 'y' }] });
    expect(g.nodes.map((n) => n.placed)).toEqual([true, true]);
    expect(new Set(g.nodes.map((n) => n.y)).size).toBe(2); // not on top of each other
    expect(g.edges).toEqual([{ from: 'x', to: 'nowhere', on: 'agent', dangling: true }]);
  });

  it('never throws on arbitrary JSON from the editor', () => {
    for (const value of [null, 1, 'x', [], {}, { nodes: 'no' }, { nodes: [null, 3, { id: 5 }, { id: 'a', position: 'up', edges: [null, { to: 1 }] }] }]) {
      expect(() => readFlowGraph(value)).not.toThrow();
    }
    expect(readFlowGraph({ nodes: [{ id: 'a' }, { id: 'a' }] }).nodes).toHaveLength(1);
  });
});

describe('waiting-time formatting', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatDuration(7)).toBe('7s');
    expect(formatDuration(187)).toBe('3m 07s');
    expect(formatDuration(7500)).toBe('2h 05m');
  });

  it('counts whole seconds since a time, never negative', () => {
    const now = Date.parse('2025-01-01T00:01:00Z');
    expect(secondsSince('2025-01-01T00:00:00Z', now)).toBe(60);
    expect(secondsSince('2025-01-01T00:02:00Z', now)).toBe(0);
    expect(secondsSince(null, now)).toBe(0);
  });
});
