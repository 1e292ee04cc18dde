import { computed, ref, shallowRef } from 'vue';
import type { Edge as FlowEdge, Node as FlowNode } from '@vue-flow/core';
import type { FlowDiff } from '../../../../domain/flow/diff';
import { ApiError, errorMessage } from '../../../common/errors';
import { flowsApi } from '../../../common/api';
import type { FlowDetail } from '../../../common/types';
import { useFlowsStore } from '../../stores/flows';
import { useSessionStore } from '../../stores/session';
import { setPositions, toDraft, toFlowElements, type DesignerNodeData, type Draft } from '../graph';
import { autoLayout, needsLayout } from '../layout';
import type { DesignerState } from '../useDesigner';
import { t } from '../i18n';

/** One side of a comparison: the draft being edited, or a published version. */
export type Side = 'draft' | number;
export type VersionsMode = { kind: 'draft' } | { kind: 'version'; version: number } | { kind: 'compare'; from: Side; to: Side };
export type DiffMark = 'added' | 'removed' | 'changed';

const EDGE_STYLE: Record<'added' | 'removed', Record<string, string>> = {
  added: { stroke: '#15803d', strokeWidth: '2.5' },
  removed: { stroke: '#b91c1c', strokeWidth: '2', strokeDasharray: '6 4' },
};

/** Positions for a definition shown on the canvas: its own, or an automatic layout when some node has none. */
async function placed(draft: Draft): Promise<Draft> {
  return needsLayout(draft) ? setPositions(draft, await autoLayout(draft)) : draft;
}

/**
 * The designer's versions: which definition the canvas shows (the draft, a version read-only, or a
 * comparison of two), the differences of a comparison (domain/flow/diff.ts, loaded on first use), and
 * the two actions on a version: restore it as the draft (through the revision check, so a draft someone
 * else saved is never overwritten) and make it live again (a roll-back: re-published as the next version).
 */
export function useVersions(d: DesignerState, flow: () => FlowDetail, hooks: { shown: () => void }) {
  const store = useFlowsStore();
  const session = useSessionStore();
  const mode = ref<VersionsMode>({ kind: 'draft' });
  /** The canvas's nodes and edges while a version or a comparison is shown (null: the draft, editable). */
  const canvas = shallowRef<{ nodes: FlowNode<DesignerNodeData>[]; edges: FlowEdge[] } | null>(null);
  /** The definition shown (a version's, or the comparison's newer side), for export and the narrow diagram. */
  const shownDefinition = shallowRef<Record<string, unknown> | null>(null);
  const diff = shallowRef<FlowDiff | null>(null);
  const busy = ref<string | null>(null);
  const message = ref<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const readOnly = computed(() => mode.value.kind !== 'draft');
  const live = computed(() => flow().latestVersion);
  const versions = computed(() => [...flow().versions].sort((a, b) => b.version - a.version));

  async function definitionOf(side: Side): Promise<Record<string, unknown>> {
    if (side === 'draft') return JSON.parse(JSON.stringify(d.draft.value)) as Record<string, unknown>;
    return (await store.version(flow().id, side)).definition;
  }

  async function run(what: string, action: () => Promise<void>) {
    busy.value = what;
    message.value = null;
    try {
      await action();
    } catch (err) {
      message.value = { tone: 'error', text: errorMessage(err) };
    } finally {
      busy.value = null;
    }
  }

  function view(version: number) {
    return run(`view:${version}`, async () => {
      const definition = await definitionOf(version);
      canvas.value = toFlowElements(await placed(toDraft(definition)));
      shownDefinition.value = definition;
      diff.value = null;
      mode.value = { kind: 'version', version };
      hooks.shown();
    });
  }

  function compare(from: Side, to: Side) {
    return run('compare', async () => {
      const [before, after, module] = await Promise.all([definitionOf(from), definitionOf(to), import('../../../../domain/flow/diff')]);
      const result = module.diffFlows(before, after);
      const marks = module.nodeMarks(result);
      const older = toDraft(before);
      const newer = toDraft(after);
      // the newer side, with the nodes only the older side had (where they were)
      const merged: Draft = { ...newer, nodes: [...newer.nodes, ...older.nodes.filter((n) => marks[n.id] === 'removed')] };
      const elements = toFlowElements(await placed(merged));
      for (const node of elements.nodes) {
        const mark = marks[node.id];
        if (mark) node.data = { ...node.data!, diff: mark };
      }
      const added = new Set(result.edges.added.map((e) => `${e.from}→${e.on}`));
      // Edges of a comparison get ids of their own: Vue Flow keeps the style of an edge whose id comes back without one
      for (const edge of elements.edges) {
        const kind = marks[edge.source] === 'removed' ? 'removed' : added.has(edge.id) ? 'added' : null;
        if (kind) Object.assign(edge, { style: EDGE_STYLE[kind], class: `fd-edge-${kind}`, animated: kind === 'added' });
        edge.id = `compare:${edge.id}`;
      }
      for (const e of result.edges.removed) {
        elements.edges.push({
          id: `compare:${e.from}→${e.on}→${e.to}:removed`, source: e.from, target: e.to, sourceHandle: e.on, targetHandle: 'in', style: EDGE_STYLE.removed, class: 'fd-edge-removed',
        });
      }
      canvas.value = elements;
      shownDefinition.value = after;
      diff.value = result;
      mode.value = { kind: 'compare', from, to };
      hooks.shown();
    });
  }

  function backToDraft() {
    mode.value = { kind: 'draft' };
    canvas.value = null;
    shownDefinition.value = null;
    diff.value = null;
    hooks.shown();
  }

  /** Replaces the draft with `version` (saved first, so the revision sent is the one on the server); undo brings the old draft back. */
  function restore(version: number) {
    return run(`restore:${version}`, async () => {
      await d.save();
      try {
        await flowsApi.restore(session.api, flow().id, version, d.revision.value);
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) throw new Error(t('admin.designer.versions.restoreConflict'), { cause: err });
        throw err;
      }
      await d.loadTheirs(); // reads the saved draft (now the restored version) as an undoable edit
      backToDraft();
      message.value = { tone: 'ok', text: t('admin.designer.versions.restored', { n: version }) };
    });
  }

  /** Makes `version` live again: published as the next version, marked as restored from it. */
  function rollBack(version: number) {
    return run(`rollback:${version}`, async () => {
      const published = await flowsApi.rollBack(session.api, flow().id, version);
      store.versions[`${flow().id}@${published.version}`] = published;
      await store.open(flow().id);
      await d.loadLive();
      message.value = { tone: 'ok', text: t('admin.designer.versions.rolledBack', { n: version, next: published.version }) };
    });
  }

  return { mode, canvas, shownDefinition, diff, busy, message, readOnly, live, versions, view, compare, backToDraft, restore, rollBack };
}

export type VersionsState = ReturnType<typeof useVersions>;
