import { computed, onBeforeUnmount, ref, shallowRef } from 'vue';
import type { FlowProblem } from '../../../domain/flow/validate';
import type { FlowDefinition } from '../../../domain/flow/schema';
import { ApiError, errorMessage } from '../../common/errors';
import type { FlowDetail } from '../../common/types';
import { useFlowsStore } from '../stores/flows';
import { behaviourKey, toDraft, type Draft } from './graph';
import { History } from './history';
import type { DesignerSpecs } from './specs';
import type { WorkerReply, WorkerRequest } from './designer.worker';

/** How long the designer waits after an edit before it checks the flow, and before it saves the draft. */
export const VALIDATE_DELAY_MS = 150;
export const AUTOSAVE_DELAY_MS = 800;

export type SaveState = 'saved' | 'pending' | 'saving' | 'error' | 'conflict';

/**
 * The designer's state for one flow: the draft being edited (immutable snapshots, so undo/redo is a
 * stack of them), its problems (the same validator the API runs, in the browser, on every edit after a
 * short pause) and the autosave, which sends the revision it started from so a draft someone else saved
 * in between is never overwritten: the API answers 409 and the designer keeps the admin's edits.
 */
export function useDesigner(initial: FlowDetail) {
  const store = useFlowsStore();
  const flowId = initial.id;
  const draft = shallowRef<Draft>(toDraft(initial.draft));
  const revision = ref(initial.revision);
  const history = new History<Draft>();
  const historyTick = ref(0);
  const problems = ref<FlowProblem[]>([]);
  const parsedKey = ref<string | null>(null);
  const saveState = ref<SaveState>('saved');
  const saveError = ref<string | null>(null);
  const liveKey = ref<string | null>(null);

  const specs = shallowRef<DesignerSpecs | null>(null);
  /** The draft as the engine runs it, once it has no problems (the preview runs it; issue 20). */
  const parsed = shallowRef<FlowDefinition | null>(null);
  /** Milliseconds the last validation took (in the worker). */
  const validationMs = ref<number | null>(null);
  /** Set while an edit has not been checked yet. */
  const checking = ref(true);

  let validateTimer: ReturnType<typeof setTimeout> | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | null = null;

  const worker = new Worker(new URL('./designer.worker.ts', import.meta.url), { type: 'module' });
  let seq = 0;
  worker.onmessage = (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    if (reply.kind === 'specs') specs.value = reply.specs;
    else if (reply.seq === seq) {
      problems.value = reply.problems;
      parsedKey.value = reply.key;
      parsed.value = reply.flow;
      validationMs.value = reply.ms;
      checking.value = false;
    }
  };

  /** Checks the draft as it is now; an older answer still on its way is ignored. */
  function runValidation() {
    seq += 1;
    checking.value = true;
    const request: WorkerRequest = { kind: 'validate', seq, draft: JSON.parse(JSON.stringify(draft.value)) as unknown };
    worker.postMessage(request);
  }
  runValidation();

  /** Applies an edit: recorded for undo unless `record` is false (e.g. the first automatic layout). */
  function apply(next: Draft, record = true) {
    if (next === draft.value) return;
    if (record) history.record(draft.value);
    draft.value = next;
    historyTick.value++;
    clearTimeout(validateTimer);
    validateTimer = setTimeout(runValidation, VALIDATE_DELAY_MS);
    scheduleSave();
  }

  function undo() {
    const previous = history.undo(draft.value);
    if (previous) apply(previous, false);
  }
  function redo() {
    const next = history.redo(draft.value);
    if (next) apply(next, false);
  }
  const canUndo = computed(() => historyTick.value >= 0 && history.canUndo);
  const canRedo = computed(() => historyTick.value >= 0 && history.canRedo);

  function scheduleSave() {
    if (saveState.value === 'conflict') return;
    saveState.value = 'pending';
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
  }

  async function send() {
    const sending = draft.value;
    saveState.value = 'saving';
    try {
      const flow = await store.saveDraft(flowId, sending, { revision: revision.value });
      revision.value = flow.revision;
      saveError.value = null;
      saveState.value = draft.value === sending ? 'saved' : 'pending';
      if (draft.value !== sending) scheduleSave();
    } catch (err) {
      saveError.value = errorMessage(err);
      saveState.value = err instanceof ApiError && err.status === 409 ? 'conflict' : 'error';
    }
  }

  /** Saves now (waiting for a save under way first). */
  async function save() {
    clearTimeout(saveTimer);
    if (inFlight) await inFlight;
    if (saveState.value === 'saved' || saveState.value === 'conflict') return;
    inFlight = send().finally(() => {
      inFlight = null;
    });
    await inFlight;
  }

  /** After a conflict: take the other admin's draft (dropping these edits) … */
  async function loadTheirs() {
    await store.open(flowId);
    const current = store.current;
    if (!current || current.id !== flowId) return;
    history.record(draft.value);
    draft.value = toDraft(current.draft);
    revision.value = current.revision;
    historyTick.value++;
    saveState.value = 'saved';
    saveError.value = null;
    runValidation();
  }

  /** … or save these edits over theirs, knowingly. */
  async function keepMine() {
    await store.open(flowId);
    const current = store.current;
    if (!current || current.id !== flowId) return;
    revision.value = current.revision;
    saveState.value = 'pending';
    await save();
  }

  /** The live version's behaviour, to tell a draft that would publish nothing new. */
  async function loadLive() {
    const latest = store.current?.id === flowId ? store.current.latestVersion : initial.latestVersion;
    if (latest === null || latest === undefined) {
      liveKey.value = null;
      return;
    }
    const version = await store.version(flowId, latest);
    liveKey.value = behaviourKey(version.definition);
  }
  void loadLive().catch(() => undefined);

  const errors = computed(() => problems.value);
  const sameAsLive = computed(() => parsedKey.value !== null && liveKey.value !== null && parsedKey.value === liveKey.value);

  async function publish() {
    clearTimeout(validateTimer);
    await save();
    if (saveState.value !== 'saved') throw new Error(saveError.value ?? 'The draft is not saved');
    const version = await store.publish(flowId);
    await loadLive();
    return version;
  }

  onBeforeUnmount(() => {
    clearTimeout(validateTimer);
    worker.terminate();
    if (saveState.value === 'pending') void save();
  });

  return {
    flowId, draft, revision, problems: errors, saveState, saveError, sameAsLive, canUndo, canRedo, specs, validationMs, checking, parsed,
    apply, undo, redo, save, loadTheirs, keepMine, publish, runValidation, loadLive,
  };
}

export type DesignerState = ReturnType<typeof useDesigner>;
