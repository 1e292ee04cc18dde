import { ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { blacklistApi } from '../../common/api';
import { errorMessage } from '../../common/errors';
import type { BlacklistState } from '../../common/types';

/** Visitor blacklist: whether a visitor is blocked, and every block/unblock with its reason. */
export const useVisitorsStore = defineStore('admin-visitors', () => {
  const session = useSessionStore();
  const blacklist = ref<Record<string, BlacklistState>>({});
  const loading = ref<Record<string, boolean>>({});
  const errors = ref<Record<string, string>>({});

  async function load(visitorId: string) {
    loading.value[visitorId] = true;
    delete errors.value[visitorId];
    try {
      blacklist.value[visitorId] = await blacklistApi.log(session.api, visitorId);
    } catch (err) {
      errors.value[visitorId] = errorMessage(err);
    } finally {
      delete loading.value[visitorId];
    }
  }

  /** Throws ApiError for the form to show; reloads the log after a change. */
  async function block(visitorId: string, reason: string) {
    const res = await blacklistApi.block(session.api, visitorId, reason);
    await load(visitorId);
    return res;
  }

  async function unblock(visitorId: string, reason: string) {
    const res = await blacklistApi.unblock(session.api, visitorId, reason);
    await load(visitorId);
    return res;
  }

  return { blacklist, loading, errors, load, block, unblock };
});
