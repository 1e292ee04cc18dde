import { ref } from 'vue';
import { defineStore } from 'pinia';
import { cannedApi, type ApiClient } from '../api';
import { errorMessage } from '../errors';
import type { CannedFields, CannedScope } from '../../../domain/canned/schema';
import type { CannedResponse } from '../../../domain/contracts/rest';

/** How many responses a management list shows at once; the search narrows the rest. */
export const CANNED_PAGE = 200;

/**
 * One list of canned responses to manage: the organisation's (admin console) or the signed-in
 * agent's own (workbench). The changes throw ApiError so forms can show the server's message.
 */
export function defineCannedStore(id: string, scope: CannedScope, api: () => ApiClient) {
  return defineStore(id, () => {
    const items = ref<CannedResponse[]>([]);
    const total = ref(0);
    const q = ref('');
    const loading = ref(false);
    const loaded = ref(false);
    const error = ref<string | null>(null);
    let request = 0;

    async function load() {
      const mine = ++request;
      loading.value = true;
      try {
        const res = await cannedApi.list(api(), { scope, q: q.value.trim() || undefined, limit: CANNED_PAGE });
        if (mine !== request) return;
        items.value = res.responses;
        total.value = res.total;
        loaded.value = true;
        error.value = null;
      } catch (err) {
        if (mine === request) error.value = errorMessage(err);
      } finally {
        if (mine === request) loading.value = false;
      }
    }

    async function create(fields: CannedFields) {
      const created = await cannedApi.create(api(), { ...fields, scope });
      await load();
      return created;
    }

    async function update(responseId: string, fields: Partial<CannedFields>) {
      const updated = await cannedApi.update(api(), responseId, fields);
      const i = items.value.findIndex((r) => r.id === responseId);
      if (i >= 0) items.value[i] = updated;
      return updated;
    }

    async function remove(responseId: string) {
      await cannedApi.remove(api(), responseId);
      items.value = items.value.filter((r) => r.id !== responseId);
      total.value = Math.max(0, total.value - 1);
    }

    async function importCsv(csv: string) {
      const result = await cannedApi.import(api(), scope, csv);
      await load();
      return result;
    }

    return { scope, items, total, q, loading, loaded, error, load, create, update, remove, importCsv, exportUrl: cannedApi.exportUrl(scope) };
  });
}

export type CannedStore = ReturnType<ReturnType<typeof defineCannedStore>>;
