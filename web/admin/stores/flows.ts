import { ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { flowsApi } from '../../common/api';
import { errorMessage } from '../../common/errors';
import type { FlowDetail, FlowSummary, FlowVersion } from '../../common/types';

/** Service flows: the list, the flow being edited, and its published versions (immutable). */
export const useFlowsStore = defineStore('admin-flows', () => {
  const session = useSessionStore();
  const flows = ref<FlowSummary[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const current = ref<FlowDetail | null>(null);
  const currentLoading = ref(false);
  const currentError = ref<string | null>(null);
  /** Published versions fetched so far, by `${flowId}@${version}`. */
  const versions = ref<Record<string, FlowVersion>>({});

  async function load() {
    loading.value = true;
    error.value = null;
    try {
      flows.value = await flowsApi.list(session.api);
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

  async function open(flowId: string) {
    currentLoading.value = true;
    currentError.value = null;
    if (current.value?.id !== flowId) current.value = null;
    try {
      current.value = await flowsApi.get(session.api, flowId);
    } catch (err) {
      currentError.value = errorMessage(err);
    } finally {
      currentLoading.value = false;
    }
  }

  /** Changes throw ApiError for the editor to show. */
  async function create(input: { id: string; name: string; channel: string }) {
    const flow = await flowsApi.create(session.api, input);
    await load();
    return flow;
  }

  /** With `revision`, the server refuses (409) a draft someone else saved since. */
  async function saveDraft(flowId: string, draft: Record<string, unknown>, meta: { name?: string; channel?: string; revision?: number } = {}) {
    const flow = await flowsApi.saveDraft(session.api, flowId, { draft, ...meta });
    if (current.value?.id === flowId) current.value = flow;
    return flow;
  }

  const validate = (flowId: string, definition?: Record<string, unknown>) => flowsApi.validate(session.api, flowId, definition);

  async function publish(flowId: string) {
    const version = await flowsApi.publish(session.api, flowId);
    versions.value[`${flowId}@${version.version}`] = version;
    if (current.value?.id === flowId) await open(flowId);
    return version;
  }

  async function version(flowId: string, n: number) {
    const key = `${flowId}@${n}`;
    if (!versions.value[key]) versions.value[key] = await flowsApi.version(session.api, flowId, n);
    return versions.value[key];
  }

  return { flows, loading, error, current, currentLoading, currentError, versions, load, open, create, saveDraft, validate, publish, version };
});
