import { FlowNodeSchema } from './schema.js';
import { FlowSettingsSchema } from './settings.js';

/**
 * What changed between two flow definitions (two published versions, or a version and the draft):
 * nodes added, removed and changed (with the fields that changed), edges added and removed, settings
 * changed, the start node and the declared variables. Where nodes sit on the canvas (`position`) is not
 * a change: it changes nothing a visitor sees.
 *
 * Either side may be a draft that does not validate. Each node and the settings are read through their
 * schema when they parse, so a default the schema fills in (a published version stores them, a draft
 * usually leaves them out) is not reported as a change; what does not parse is compared as written.
 */
export interface EdgeRef { from: string; on: string; to: string }
export interface NodeChange {
  id: string;
  /** Set when the node's type changed (then `fields` lists every config field that differs too). */
  type?: { from: string; to: string };
  /** Paths of the fields that differ, e.g. `config.text.zh-CN`, `config.items[1].content`. */
  fields: string[];
}
export interface FlowDiff {
  nodes: { added: string[]; removed: string[]; changed: NodeChange[] };
  /** Edges of nodes present on both sides (a node's own edges come and go with it). A retargeted edge is one removed and one added. */
  edges: { added: EdgeRef[]; removed: EdgeRef[] };
  /** Paths of the settings that differ, e.g. `visitorTimeoutSec`, `rating.text.en`. */
  settings: string[];
  start: { from: string; to: string } | null;
  variables: { added: string[]; removed: string[] };
  /** Nothing a visitor could notice differs. */
  same: boolean;
}

type Json = unknown;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface LooseNode { id: string; type: string; config: Json; edges: { on: string; to: string }[] }
interface LooseFlow { start: string; variables: string[]; nodes: LooseNode[]; settings: Json }

/** A node as the schema reads it (defaults applied), else as written; the position is dropped. */
function normalizeNode(raw: Record<string, unknown>): LooseNode {
  const parsed = FlowNodeSchema.safeParse(raw);
  const node = (parsed.success ? parsed.data : raw) as Record<string, unknown>;
  const edges = Array.isArray(node.edges)
    ? node.edges.filter((e): e is { on: string; to: string } => isRecord(e) && typeof e.on === 'string' && typeof e.to === 'string')
    : [];
  return { id: String(node.id), type: typeof node.type === 'string' ? node.type : '', config: node.config ?? {}, edges };
}

function normalize(definition: unknown): LooseFlow {
  const raw = isRecord(definition) ? definition : {};
  const nodes = (Array.isArray(raw.nodes) ? raw.nodes : []).filter((n): n is Record<string, unknown> => isRecord(n) && typeof n.id === 'string');
  const settings = FlowSettingsSchema.safeParse(raw.settings ?? {});
  return {
    start: typeof raw.start === 'string' ? raw.start : '',
    variables: Array.isArray(raw.variables) ? raw.variables.filter((v): v is string => typeof v === 'string') : [],
    nodes: nodes.map(normalizeNode),
    settings: settings.success ? settings.data : raw.settings ?? {},
  };
}

function equal(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!equal(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** Leaf paths where `a` and `b` differ; lists of different lengths are one change at the list's path. */
function changedPaths(a: Json, b: Json, path: string, out: string[]): string[] {
  if (equal(a, b)) return out;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => changedPaths(x, b[i], `${path}[${i}]`, out));
  } else if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) changedPaths(a[k], b[k], path === '' ? k : `${path}.${k}`, out);
  } else {
    out.push(path);
  }
  return out;
}

/** Differences from `before` to `after` (see FlowDiff). */
export function diffFlows(before: unknown, after: unknown): FlowDiff {
  const a = normalize(before);
  const b = normalize(after);
  const aById = new Map(a.nodes.map((n) => [n.id, n]));
  const bById = new Map(b.nodes.map((n) => [n.id, n]));

  const added = b.nodes.filter((n) => !aById.has(n.id)).map((n) => n.id);
  const removed = a.nodes.filter((n) => !bById.has(n.id)).map((n) => n.id);
  const changed: NodeChange[] = [];
  const edgesAdded: EdgeRef[] = [];
  const edgesRemoved: EdgeRef[] = [];
  for (const nb of b.nodes) {
    const na = aById.get(nb.id);
    if (!na) continue;
    const fields = changedPaths(na.config, nb.config, 'config', []);
    if (fields.length > 0 || na.type !== nb.type) {
      changed.push({ id: nb.id, ...(na.type !== nb.type ? { type: { from: na.type, to: nb.type } } : {}), fields });
    }
    const key = (e: { on: string; to: string }) => `${e.on}\u0000${e.to}`;
    const aEdges = new Set(na.edges.map(key));
    const bEdges = new Set(nb.edges.map(key));
    for (const e of nb.edges) if (!aEdges.has(key(e))) edgesAdded.push({ from: nb.id, on: e.on, to: e.to });
    for (const e of na.edges) if (!bEdges.has(key(e))) edgesRemoved.push({ from: na.id, on: e.on, to: e.to });
  }
  const settings = changedPaths(a.settings, b.settings, '', []);
  const start = a.start === b.start ? null : { from: a.start, to: b.start };
  const variables = {
    added: b.variables.filter((v) => !a.variables.includes(v)),
    removed: a.variables.filter((v) => !b.variables.includes(v)),
  };
  const same = added.length + removed.length + changed.length + edgesAdded.length + edgesRemoved.length + settings.length
    + variables.added.length + variables.removed.length === 0 && start === null;
  return { nodes: { added, removed, changed }, edges: { added: edgesAdded, removed: edgesRemoved }, settings, start, variables, same };
}

/** How each node shows in a comparison: nodes of `after` that are new or changed, and those only `before` had. */
export function nodeMarks(diff: FlowDiff): Record<string, 'added' | 'removed' | 'changed'> {
  const marks: Record<string, 'added' | 'removed' | 'changed'> = {};
  for (const id of diff.nodes.added) marks[id] = 'added';
  for (const id of diff.nodes.removed) marks[id] = 'removed';
  for (const c of diff.nodes.changed) marks[c.id] = 'changed';
  return marks;
}
