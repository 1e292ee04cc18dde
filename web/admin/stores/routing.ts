import { ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { routingApi } from '../../common/api';
import { errorMessage } from '../../common/errors';
import type { RoutingSettings } from '../../common/types';

/** Desk routing settings (GET/PUT /api/settings/routing). */
export const useRoutingStore = defineStore('admin-routing', () => {
  const session = useSessionStore();
  const settings = ref<RoutingSettings | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);

  async function load() {
    loading.value = true;
    error.value = null;
    try {
      settings.value = await routingApi.settings(session.api);
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

  /** Partial update; throws ApiError (with `field`) for the form to show. */
  async function save(patch: Partial<RoutingSettings>) {
    settings.value = await routingApi.saveSettings(session.api, patch);
    return settings.value;
  }

  return { settings, loading, error, load, save };
});
