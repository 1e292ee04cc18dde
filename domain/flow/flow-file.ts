import { FlowDefinitionSchema } from './schema.js';
import { validateFlow, type FlowProblem } from './validate.js';

/**
 * Reads a flow from a file (the designer's import) or from the raw JSON view before it becomes the
 * draft. A draft may be unfinished (an empty text, an unreachable node: the designer shows those), but
 * it must be a Parley flow: the text is JSON, a JSON object, and the validator finds nothing that says
 * otherwise. Refused, each with its path: keys the format does not know, unknown node types, two nodes
 * with one id, and a wrong shape anywhere outside a node's `config` and the flow's `settings` (`nodes`
 * not a list, a node without an id, an edge without `to`). What is inside `config` and `settings` is
 * the admin's to finish in the designer, as in any draft.
 */
export type FlowFileResult = { ok: true; definition: Record<string, unknown> } | { ok: false; problems: FlowProblem[] };

const REFUSED_CODES = new Set(['unknown_key', 'unknown_node_type', 'duplicate_node_id']);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (path: readonly PropertyKey[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');

/** Whether a schema issue at `path` is the admin's content (checked like any draft's) rather than the flow's shape. */
function isContent(path: readonly PropertyKey[], code: string, value: Record<string, unknown>): boolean {
  if (code === 'too_small') return true; // an empty flow, start or text: unfinished, not malformed
  if (path.length === 1 && (path[0] === 'nodes' || path[0] === 'start') && value[path[0]] === undefined) return true; // none yet
  if (path[0] === 'settings') return true;
  return path[0] === 'nodes' && typeof path[1] === 'number' && (path[2] === 'config' || path[2] === 'type');
}

/** Checks an already parsed value (the raw JSON view's). */
export function checkFlowDefinition(value: unknown): FlowFileResult {
  if (!isRecord(value)) return { ok: false, problems: [{ nodeId: null, code: 'not_an_object', message: 'the file must hold one JSON object (a flow definition)' }] };
  const problems: FlowProblem[] = [];
  const parsed = FlowDefinitionSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (isContent(issue.path, issue.code, value)) continue;
      const [head, index] = issue.path;
      const node = head === 'nodes' && typeof index === 'number' && Array.isArray(value.nodes) ? (value.nodes[index] as unknown) : undefined;
      const nodeId = isRecord(node) && typeof node.id === 'string' ? node.id : null;
      problems.push({ nodeId, code: 'schema_error', message: `${describe(issue.path) || 'flow'}: ${issue.message}` });
    }
  }
  const validation = validateFlow(value);
  if (!validation.ok) problems.push(...validation.problems.filter((p) => REFUSED_CODES.has(p.code)));
  return problems.length === 0 ? { ok: true, definition: value } : { ok: false, problems };
}

/** Reads a file's text: JSON (its parse error says where), then checkFlowDefinition. */
export function readFlowFile(text: string): FlowFileResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [{ nodeId: null, code: 'not_json', message: `not JSON: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  return checkFlowDefinition(value);
}
