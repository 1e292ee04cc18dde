import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { teamsApi } from '../../common/api';
import { errorMessage } from '../../common/errors';
import type { AssignmentStrategy, Team } from '../../common/types';

/** Teams (skill groups): the list, names for other views, and their changes. */
export const useTeamsStore = defineStore('admin-teams', () => {
  const session = useSessionStore();
  const teams = ref<Team[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);

  const byId = computed(() => Object.fromEntries(teams.value.map((t) => [t.id, t])) as Record<string, Team>);

  function teamName(id: string | null | undefined): string {
    if (!id) return '—';
    return byId.value[id]?.name ?? id;
  }

  async function load() {
    loading.value = true;
    error.value = null;
    try {
      teams.value = await teamsApi.list(session.api);
      loaded.value = true;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

  /** Load once for labels (no-op when already loaded). */
  async function ensure() {
    if (!loaded.value && !loading.value) await load();
  }

  function put(team: Team) {
    const i = teams.value.findIndex((t) => t.id === team.id);
    if (i >= 0) teams.value[i] = team;
    else teams.value.push(team);
    teams.value.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The changes below throw ApiError so forms can show the server's message next to them. */
  async function create(input: { id: string; name: string; strategy: AssignmentStrategy }) {
    const team = await teamsApi.create(session.api, input);
    put(team);
    return team;
  }

  async function update(id: string, patch: { name?: string; strategy?: AssignmentStrategy }) {
    const team = await teamsApi.update(session.api, id, patch);
    put(team);
    return team;
  }

  async function remove(id: string) {
    await teamsApi.remove(session.api, id);
    teams.value = teams.value.filter((t) => t.id !== id);
  }

  return { teams, loading, loaded, error, byId, teamName, load, ensure, create, update, remove };
});
