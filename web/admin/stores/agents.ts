import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { agentsApi } from '../../common/api';
import { useLoadState } from '../../common/loadState';
import type { AgentCreateInput, AgentPatch, AgentWithStatus, StatusHistoryEntry } from '../../common/types';

const POLL_MS = 5000;

/**
 * Staff accounts with live status and load. Presence is not pushed to the console, so the list is polled while a
 * view needs it live (`startLive`/`stopLive`, reference-counted).
 */
export const useAgentsStore = defineStore('admin-agents', () => {
  const session = useSessionStore();
  const agents = ref<AgentWithStatus[]>([]);
  const { loading, loaded, error, load } = useLoadState(agents, () => agentsApi.list(session.api));
  const history = ref<Record<string, StatusHistoryEntry[]>>({});
  let timer: ReturnType<typeof setInterval> | null = null;
  let liveUsers = 0;

  const byId = computed(() => Object.fromEntries(agents.value.map((a) => [a.id, a])) as Record<string, AgentWithStatus>);

  function startLive() {
    liveUsers++;
    if (timer) return;
    void load();
    timer = setInterval(() => void load(), POLL_MS);
  }

  function stopLive() {
    liveUsers = Math.max(0, liveUsers - 1);
    if (liveUsers === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  function put(agent: AgentWithStatus) {
    const i = agents.value.findIndex((a) => a.id === agent.id);
    if (i >= 0) agents.value[i] = agent;
    else agents.value.push(agent);
    agents.value.sort((a, b) => a.nickname.localeCompare(b.nickname));
    return agent;
  }

  /** Changes throw ApiError for the form or row that asked to show. */
  const create = async (input: AgentCreateInput) => put(await agentsApi.create(session.api, input));
  const update = async (id: string, patch: AgentPatch) => put(await agentsApi.update(session.api, id, patch));
  const forceOffline = async (id: string) => put(await agentsApi.forceOffline(session.api, id));
  /** Resolves to whether the desk was told already (`pending`: Temporal was unreachable; it catches up later). */
  const disable = async (id: string) => {
    const { desk, ...agent } = await agentsApi.disable(session.api, id);
    put(agent);
    return desk;
  };
  const restore = async (id: string) => put(await agentsApi.restore(session.api, id));

  async function loadHistory(id: string) {
    history.value[id] = await agentsApi.statusHistory(session.api, id);
    return history.value[id];
  }

  return { agents, loading, loaded, error, history, byId, load, startLive, stopLive, create, update, forceOffline, disable, restore, loadHistory };
});
