import { nodeTypeOf, type AnyNode } from '../../../domain/flow/nodes/registry.js';
import type { Draft } from './graph.js';

/** A variable a text may use, and where it comes from. */
export interface VariableSuggestion { name: string; source: 'system' | 'declared' | 'node'; nodeId?: string }

/**
 * Variables `${…}` may name in this flow: the system ones every conversation has, the declared ones, and
 * those nodes set (form answers, http results; read from each node type's `sets`).
 */
export function variableSuggestions(draft: Draft, builtins: readonly string[]): VariableSuggestion[] {
  const out: VariableSuggestion[] = [];
  const add = (s: VariableSuggestion) => {
    if (s.name !== '' && !out.some((o) => o.name === s.name)) out.push(s);
  };
  for (const name of builtins) add({ name, source: 'system' });
  for (const name of draft.variables) add({ name, source: 'declared' });
  for (const node of draft.nodes) {
    let names: string[];
    try {
      names = nodeTypeOf(node.type)?.sets?.(node as unknown as AnyNode) ?? [];
    } catch {
      names = [];
    }
    for (const name of names) if (typeof name === 'string') add({ name, source: 'node', nodeId: node.id });
  }
  return out;
}

/** The `${…` being typed just before the caret: where it starts and what is typed so far; null when none. */
export function openPlaceholder(text: string, caret: number): { start: number; prefix: string } | null {
  const match = /\$\{\s*([A-Za-z0-9_]*)$/.exec(text.slice(0, caret));
  return match ? { start: match.index, prefix: match[1] ?? '' } : null;
}

/** Completes the open placeholder with `name`; returns the new text and caret. */
export function completePlaceholder(text: string, caret: number, name: string): { text: string; caret: number } {
  const open = openPlaceholder(text, caret);
  if (!open) return { text, caret };
  const after = text.slice(caret).replace(/^[A-Za-z0-9_]*(\s*\})?/, '');
  const inserted = `\${${name}}`;
  return { text: text.slice(0, open.start) + inserted + after, caret: open.start + inserted.length };
}

/** Suggestions matching a typed prefix (case-insensitive, prefix matches first). */
export function matchingSuggestions(all: readonly VariableSuggestion[], prefix: string): VariableSuggestion[] {
  const p = prefix.toLowerCase();
  const starts = all.filter((s) => s.name.toLowerCase().startsWith(p));
  const contains = all.filter((s) => !s.name.toLowerCase().startsWith(p) && s.name.toLowerCase().includes(p));
  return [...starts, ...contains];
}
