import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { agentsApi, teamsApi } from '../../common/api';
import { errorMessage } from '../../common/errors';
import type { AgentWithStatus, Team } from '../../common/types';
import { t } from '../../common/i18n';

/** Colleagues (with live status and load) and teams: transfer targets and team names for the queue. */
export const useDirectoryStore = defineStore('agent-directory', () => {
  const session = useSessionStore();
  const agents = ref<AgentWithStatus[]>([]);
  const teams = ref<Team[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const loadedAt = ref<number | null>(null);

  const teamNames = computed(() => Object.fromEntries(teams.value.map((t) => [t.id, t.name])) as Record<string, string>);

  function teamName(id: string | null): string {
    if (!id) return t('agent.workbench.anyTeam');
    return teamNames.value[id] ?? id;
  }

  async function load() {
    loading.value = true;
    error.value = null;
    try {
      const [a, t] = await Promise.all([agentsApi.list(session.api), teamsApi.list(session.api)]);
      agents.value = a;
      teams.value = t;
      loadedAt.value = Date.now();
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

  /** Teams only (cheap), for labels; keeps the agents as they are. */
  async function loadTeams() {
    try {
      teams.value = await teamsApi.list(session.api);
    } catch {
      /* labels fall back to team ids */
    }
  }

  function reset() {
    agents.value = [];
    teams.value = [];
    error.value = null;
    loadedAt.value = null;
  }

  return { agents, teams, loading, error, loadedAt, teamNames, teamName, load, loadTeams, reset };
});
