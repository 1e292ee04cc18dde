import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { agentsApi } from '../../common/api';
import type { AgentStatus } from '../../../domain/agents';
import type { AgentStateEvent } from '../../../domain/contracts/events';

/**
 * This agent as the dispatcher sees it (`agent:state`: status, load, limit, the conversations it holds), the
 * break reason, and a counter of routing pushes the queue panel refreshes on. Status changes go through the
 * connector (their answer carries a new state for every store).
 */
export const useAgentStatusStore = defineStore('agent-status', () => {
  const session = useSessionStore();

  const agentState = ref<AgentStateEvent | null>(null);
  /** The reason given with the last `away` status (the server does not echo it back). */
  const breakReason = ref<string | null>(null);
  /** Bumped on every routing-relevant push (conversation:updated, agent:state) so the queue can refresh. */
  const routingTick = ref(0);

  const status = computed<AgentStatus | null>(() => agentState.value?.status ?? null);
  const heldIds = computed(() => new Set(agentState.value?.conversationIds ?? []));

  /** Takes a state unless an older one (states arrive out of order); returns the conversations held before it, or null. */
  function applyState(s: AgentStateEvent): string[] | null {
    const current = agentState.value?.revision;
    if (s.revision !== undefined && current !== undefined && s.revision < current) return null;
    const previous = agentState.value?.conversationIds ?? [];
    agentState.value = s;
    if (s.status !== 'away') breakReason.value = null;
    return previous;
  }

  /** `agent:status` was accepted without a state in its answer. */
  function assumeStatus(next: AgentStatus) {
    if (agentState.value) agentState.value = { ...agentState.value, status: next };
  }

  function setBreakReason(reason: string | null) {
    breakReason.value = reason;
  }

  function routingChanged() {
    routingTick.value++;
  }

  /** PUT /api/me/max-conversations; the server refuses (403) unless the desk lets agents change it. */
  async function setMaxConversations(n: number) {
    const me = await agentsApi.setMyMaxConversations(session.api, n);
    if (agentState.value) agentState.value = { ...agentState.value, maxConversations: me.maxConversations };
    if (session.user) session.user.maxConversations = me.maxConversations;
    return me;
  }

  function reset() {
    agentState.value = null;
    breakReason.value = null;
  }

  return {
    agentState, breakReason, routingTick, status, heldIds,
    applyState, assumeStatus, setBreakReason, routingChanged, setMaxConversations, reset,
  };
});
