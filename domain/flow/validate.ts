import type { z } from 'zod';
import { STRICT_OUTBOUND_POLICY, urlRefusal, type OutboundPolicy } from '../outbound.js';
import { BUILTIN_VARIABLES, FlowDefinitionSchema, FlowNodeSchema, FlowSettingsSchema, type FlowDefinition, type FlowNode } from './schema.js';
import { placeholderNames, VARIABLE_ALIASES } from './interpolate.js';
import { FALLBACK_LOCALE, variantsOf } from './localized-text.js';
import { SETTINGS_TEXT_FIELDS, textsAt, type TextAt } from './text-fields.js';
import { edgeNamesFor, NODE_TYPES, nodeTypeOf } from './nodes/registry.js';
import type { NodeCheckEnv } from './nodes/types.js';
import './load-re2.js';
import { compilePattern } from './patterns.js';
import { isKnownTimeZone } from './working-hours.js';

/**
 * Checks an admin's flow before it is saved or published. Runs in the API (it uses zod); the engine
 * never imports it. Every problem is reported, not just the first.
 */
export interface FlowProblem {
  nodeId: string | null;
  code: string;
  message: string;
}

export type FlowValidation = { ok: true; flow: FlowDefinition } | { ok: false; problems: FlowProblem[] };

const NODE_TYPE_NAMES: readonly string[] = NODE_TYPES.map((type) => type.type);

/** A node as far as the graph checks can see it, even when its config did not parse. */
interface NodeView {
  id: string;
  edges: { on: string; to: string }[];
  /** Set when the whole node parsed. */
  node: FlowNode | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function rawNodes(input: unknown): unknown[] {
  return isRecord(input) && Array.isArray(input.nodes) ? input.nodes : [];
}

function rawNodeId(input: unknown, index: number): string | null {
  const node = rawNodes(input)[index];
  return isRecord(node) && typeof node.id === 'string' ? node.id : null;
}

function describePath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

function schemaProblems(input: unknown, issues: readonly z.core.$ZodIssue[]): FlowProblem[] {
  return issues.map((issue) => {
    const [head, index, ...rest] = issue.path;
    if (head === 'nodes' && typeof index === 'number') {
      const nodeId = rawNodeId(input, index);
      if (issue.code === 'invalid_union' && rest.length === 1 && rest[0] === 'type') {
        const raw = rawNodes(input)[index];
        const type = isRecord(raw) ? raw.type : undefined;
        return {
          nodeId,
          code: 'unknown_node_type',
          message: typeof type === 'string' ? `unknown node type "${type}"; expected one of ${NODE_TYPE_NAMES.join(', ')}` : `node type is missing; expected one of ${NODE_TYPE_NAMES.join(', ')}`,
        };
      }
      const where = rest.length > 0 ? describePath(rest) : 'node';
      return { nodeId, code: 'schema_error', message: `${where}: ${issue.message}` };
    }
    const where = issue.path.length > 0 ? describePath(issue.path) : 'flow';
    return { nodeId: null, code: 'schema_error', message: `${where}: ${issue.message}` };
  });
}

/** Sees each raw node as well as it can, so graph checks run even when some nodes are malformed. */
function nodeViews(input: unknown, parsed: FlowDefinition | null): NodeView[] {
  if (parsed !== null) return parsed.nodes.map((node) => ({ id: node.id, edges: node.edges, node }));
  const views: NodeView[] = [];
  for (const raw of rawNodes(input)) {
    if (!isRecord(raw) || typeof raw.id !== 'string') continue;
    const edges = Array.isArray(raw.edges)
      ? raw.edges.filter((e): e is { on: string; to: string } => isRecord(e) && typeof e.on === 'string' && typeof e.to === 'string')
      : [];
    const result = FlowNodeSchema.safeParse(raw);
    views.push({ id: raw.id, edges, node: result.success ? result.data : null });
  }
  return views;
}

function graphProblems(input: unknown, views: NodeView[]): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const ids = new Set<string>();
  for (const view of views) {
    if (ids.has(view.id)) problems.push({ nodeId: view.id, code: 'duplicate_node_id', message: `more than one node has the id "${view.id}"` });
    ids.add(view.id);
  }

  const start = isRecord(input) ? input.start : undefined;
  const hasStart = typeof start === 'string' && ids.has(start);
  if (!hasStart) {
    problems.push({
      nodeId: null,
      code: 'no_start_node',
      message: typeof start === 'string' && start !== '' ? `the start node "${start}" does not exist` : 'the flow has no start node',
    });
  }

  for (const view of views) {
    const seen = new Set<string>();
    const allowed = view.node === null ? null : new Set(edgeNamesFor(view.node));
    for (const edge of view.edges) {
      if (!ids.has(edge.to)) problems.push({ nodeId: view.id, code: 'dangling_edge', message: `edge "${edge.on}" leads to "${edge.to}", which does not exist` });
      if (seen.has(edge.on)) problems.push({ nodeId: view.id, code: 'duplicate_edge', message: `more than one edge is named "${edge.on}"; only the first is ever followed` });
      seen.add(edge.on);
      if (allowed !== null && view.node !== null && !allowed.has(edge.on)) {
        const expected = [...allowed];
        problems.push({
          nodeId: view.id,
          code: 'unknown_edge',
          message:
            expected.length === 0
              ? `a ${view.node.type} node ends the flow and cannot have edges (found "${edge.on}")`
              : `a ${view.node.type} node never takes an edge named "${edge.on}"; expected ${expected.map((e) => `"${e}"`).join(', ')}`,
        });
      }
    }
  }

  if (hasStart) {
    const byId = new Map<string, NodeView>();
    for (const view of views) if (!byId.has(view.id)) byId.set(view.id, view);
    const reached = new Set<string>([start]);
    const queue = [start];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const edge of byId.get(id)?.edges ?? []) {
        if (ids.has(edge.to) && !reached.has(edge.to)) {
          reached.add(edge.to);
          queue.push(edge.to);
        }
      }
    }
    for (const id of byId.keys()) {
      if (!reached.has(id)) problems.push({ nodeId: id, code: 'unreachable_node', message: `no path from the start node leads to "${id}"` });
    }
  }
  return problems;
}

function declaredVariables(input: unknown, nodes: FlowNode[]): Set<string> {
  const declared = new Set<string>([...BUILTIN_VARIABLES, ...Object.keys(VARIABLE_ALIASES)]);
  if (isRecord(input) && Array.isArray(input.variables)) for (const v of input.variables) if (typeof v === 'string') declared.add(v);
  for (const node of nodes) for (const name of nodeTypeOf(node.type)?.sets?.(node) ?? []) declared.add(name);
  return declared;
}

/** Why an admin pattern cannot be used (quoted, long ones cut), or null when RE2 takes it. */
function patternProblem(pattern: string): string | null {
  const compiled = compilePattern(pattern);
  if (compiled.ok) return null;
  const shown = pattern.length > 80 ? `${pattern.slice(0, 79)}…` : pattern;
  return `/${shown}/ cannot be used: ${compiled.reason}`;
}

function nodeProblems(input: unknown, nodes: FlowNode[], settings: FlowDefinition['settings'] | null, outbound: OutboundPolicy): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const declared = declaredVariables(input, nodes);
  const undeclared = (nodeId: string | null, names: string[]) => {
    for (const name of new Set(names)) {
      if (!declared.has(name)) problems.push({ nodeId, code: 'undeclared_variable', message: `variable "${name}" is not declared, not builtin and not set by any form or http node` });
    }
  };

  const env: NodeCheckEnv = { patternProblem, urlRefusal: (url) => urlRefusal(url, outbound) };
  const defaultLocale = settings?.defaultLocale ?? FALLBACK_LOCALE;
  for (const node of nodes) {
    const type = nodeTypeOf(node.type);
    if (type === undefined) continue;
    const texts = type.texts(node);
    undeclared(node.id, [...texts.flatMap(placeholdersOf), ...(type.reads?.(node) ?? [])]);
    problems.push(...localeProblems(node.id, texts, defaultLocale));
    for (const problem of type.check?.(node, env) ?? []) problems.push({ nodeId: node.id, ...problem });
  }

  if (settings !== null) {
    const s = settings;
    const names: string[] = [];
    for (const field of SETTINGS_TEXT_FIELDS) {
      const texts = textsAt(s, [field.path]);
      if (field.interpolated !== false) names.push(...texts.flatMap(placeholdersOf).filter((name) => !field.extraPlaceholders?.includes(name)));
      problems.push(...localeProblems(null, texts.map((t) => ({ ...t, at: `settings.${t.at}` })), defaultLocale));
    }
    undeclared(null, names);
    if (s.workingHours !== null && !isKnownTimeZone(s.workingHours.timeZone)) {
      problems.push({ nodeId: null, code: 'invalid_time_zone', message: `working hours time zone "${s.workingHours.timeZone}" is not a known IANA time zone` });
    }
  }
  return problems;
}

/** The placeholders of every variant of a text. */
const placeholdersOf = (t: TextAt): string[] => variantsOf(t.text).flatMap(([, text]) => placeholderNames(text));

/**
 * Issue 19: a text with per-locale variants must have one in the flow's default locale (the fallback of every
 * other locale), and every variant must use the same placeholders as that one (a translation that drops
 * `${agentName}` would tell some visitors less). Plain strings have nothing to compare.
 */
function localeProblems(nodeId: string | null, texts: TextAt[], defaultLocale: string): FlowProblem[] {
  const problems: FlowProblem[] = [];
  for (const { at, text } of texts) {
    if (typeof text === 'string') continue;
    const reference = Object.hasOwn(text, defaultLocale) ? text[defaultLocale] : undefined;
    if (reference === undefined) {
      problems.push({
        nodeId, code: 'missing_default_locale',
        message: `${at}: has no "${defaultLocale}" variant; the flow's default locale is the fallback of every other locale`,
      });
      continue;
    }
    const expected = new Set(placeholderNames(reference));
    for (const [locale, variant] of variantsOf(text)) {
      if (locale === defaultLocale) continue;
      const used = new Set(placeholderNames(variant));
      const extra = [...used].filter((name) => !expected.has(name)).map((name) => `\${${name}}`);
      const missing = [...expected].filter((name) => !used.has(name)).map((name) => `\${${name}}`);
      if (extra.length === 0 && missing.length === 0) continue;
      const parts = [
        ...(missing.length > 0 ? [`lacks ${missing.join(', ')}`] : []),
        ...(extra.length > 0 ? [`uses ${extra.join(', ')}, which the "${defaultLocale}" text does not`] : []),
      ];
      problems.push({ nodeId, code: 'placeholder_mismatch', message: `${at}.${locale}: the "${locale}" variant ${parts.join(' and ')}` });
    }
  }
  return problems;
}

/** Levenshtein distance, for "did you mean" on a misspelt key (short strings only). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * Keys the admin wrote that the schema does not know (zod drops them silently, so a misspelt
 * `visitorTimeoutSecs` would keep the default): every key of the input missing from the parsed flow.
 */
function unknownKeyProblems(input: unknown, parsed: unknown): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const walk = (given: unknown, kept: unknown, path: Array<string | number>, nodeId: string | null) => {
    if (Array.isArray(given) && Array.isArray(kept)) {
      given.forEach((item, i) => {
        const id = path.length === 1 && path[0] === 'nodes' && isRecord(item) && typeof item.id === 'string' ? item.id : nodeId;
        walk(item, kept[i], [...path, i], id);
      });
      return;
    }
    if (!isRecord(given) || !isRecord(kept)) return;
    for (const key of Object.keys(given)) {
      if (key in kept) {
        walk(given[key], kept[key], [...path, key], nodeId);
        continue;
      }
      const known = Object.keys(kept);
      const near = known.filter((k) => distance(k.toLowerCase(), key.toLowerCase()) <= Math.max(1, Math.floor(key.length / 4)));
      const where = [...path, key].map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').slice(1);
      problems.push({
        nodeId, code: 'unknown_key',
        message: `unknown key "${where}"${near.length > 0 ? ` (did you mean "${near[0]}"?)` : ''}: it would be ignored`,
      });
    }
  };
  walk(input, parsed, [], null);
  return problems;
}

export interface ValidateOptions {
  /** Which internal hosts http nodes may call (the operator's PARLEY_OUTBOUND_ALLOW); default: public hosts only. */
  outbound?: OutboundPolicy;
}

/** Parses and checks a flow definition; on success the flow has all defaults applied. */
export function validateFlow(input: unknown, opts: ValidateOptions = {}): FlowValidation {
  const parsed = FlowDefinitionSchema.safeParse(input);
  const flow = parsed.success ? parsed.data : null;
  const problems: FlowProblem[] = parsed.success ? unknownKeyProblems(input, parsed.data) : schemaProblems(input, parsed.error.issues);

  const views = nodeViews(input, flow);
  problems.push(...graphProblems(input, views));

  let settings: FlowDefinition['settings'] | null = flow?.settings ?? null;
  if (settings === null) {
    const result = FlowSettingsSchema.safeParse(isRecord(input) && input.settings !== undefined ? input.settings : {});
    settings = result.success ? result.data : null;
  }
  const nodes = views.flatMap((view) => (view.node === null ? [] : [view.node]));
  problems.push(...nodeProblems(input, nodes, settings, opts.outbound ?? STRICT_OUTBOUND_POLICY));

  if (flow !== null && problems.length === 0) return { ok: true, flow };
  return { ok: false, problems };
}
