import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { agentsApi } from '../../common/api';
import type { WorkbenchSettingsEvent } from '../../../domain/contracts/events';

/**
 * What the desk lets agents do by hand (GET /api/settings/workbench, then `desk:settings` pushes when an admin
 * changes it): the workbench shows "Join" and "My limit" only when allowed. Admins may always do both.
 */
export const useDeskSettingsStore = defineStore('agent-desk-settings', () => {
  const session = useSessionStore();
  const settings = ref<WorkbenchSettingsEvent | null>(null);

  const isAdmin = computed(() => session.user?.role === 'admin');
  const mayJoin = computed(() => isAdmin.value || Boolean(settings.value?.agentsMayJoinQueued));
  const mayChangeLimit = computed(() => isAdmin.value || Boolean(settings.value?.agentsMayChangeLimit));

  async function load() {
    try {
      settings.value = await agentsApi.workbenchSettings(session.api);
    } catch {
      /* the controls stay hidden until the settings are known; a reconnect loads them again */
    }
  }

  function changed(s: WorkbenchSettingsEvent) {
    settings.value = s;
  }

  function reset() {
    settings.value = null;
  }

  return { settings, mayJoin, mayChangeLimit, load, changed, reset };
});
