import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { historyApi } from '../../common/api';
import { errorMessage } from '../../common/errors';
import type { ConversationStatus } from '../../../domain/conversation';
import type { HistoryItem, HistoryQuery } from '../../common/types';

export interface HistoryForm {
  q: string;
  /** YYYY-MM-DD in the agent's own time zone */
  from: string;
  to: string;
  status: ConversationStatus | '';
  rating: NonNullable<HistoryQuery['rating']>[number] | '';
  tag: string;
}

const emptyForm = (): HistoryForm => ({ q: '', from: '', to: '', status: '', rating: '', tag: '' });

/** A local calendar day's start as an instant (the API's days are UTC; the agent means their own). */
function localDay(day: string, end: boolean): string {
  const [y, m, d] = day.split('-').map(Number);
  const at = new Date(y, m - 1, d + (end ? 1 : 0));
  if (end) at.setMilliseconds(-1);
  return at.toISOString();
}

/** "My conversations": the filters as applied, the pages loaded so far (by cursor) and the search mode. */
export const useHistoryStore = defineStore('agent-history', () => {
  const session = useSessionStore();
  const form = ref<HistoryForm>(emptyForm());
  /** What the shown results were searched with (the form may have changed since). */
  const applied = ref<HistoryForm>(emptyForm());
  const items = ref<HistoryItem[]>([]);
  const nextCursor = ref<string | null>(null);
  const matched = ref<'words' | 'partial' | null>(null);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  let request = 0;

  const filtered = computed(() => Object.values(applied.value).some((v) => v !== ''));

  function query(f: HistoryForm, cursor: string | null): HistoryQuery {
    return {
      ...(f.q.trim() ? { q: f.q.trim() } : {}),
      ...(f.from ? { from: localDay(f.from, false) } : {}),
      ...(f.to ? { to: localDay(f.to, true) } : {}),
      ...(f.status ? { status: [f.status] } : {}),
      ...(f.rating ? { rating: [f.rating] } : {}),
      ...(f.tag.trim() ? { tag: [f.tag.trim()] } : {}),
      ...(cursor ? { cursor } : {}),
      limit: 20,
    };
  }

  async function fetchPage(more: boolean) {
    const mine = ++request;
    loading.value = true;
    error.value = null;
    try {
      const page = await historyApi.mine(session.api, query(applied.value, more ? nextCursor.value : null));
      if (mine !== request) return;
      items.value = more ? [...items.value, ...page.items.filter((i) => !items.value.some((o) => o.conversation.id === i.conversation.id))] : page.items;
      nextCursor.value = page.nextCursor;
      matched.value = page.matched;
      loaded.value = true;
    } catch (err) {
      if (mine === request) error.value = errorMessage(err);
    } finally {
      if (mine === request) loading.value = false;
    }
  }

  /** Applies the form and loads the first page. */
  function search() {
    applied.value = { ...form.value };
    return fetchPage(false);
  }
  function loadMore() {
    if (nextCursor.value && !loading.value) return fetchPage(true);
  }
  function clear() {
    form.value = emptyForm();
    return search();
  }
  function reset() {
    request++;
    form.value = emptyForm();
    applied.value = emptyForm();
    items.value = [];
    nextCursor.value = null;
    matched.value = null;
    loaded.value = false;
    loading.value = false;
    error.value = null;
  }

  return { form, applied, items, nextCursor, matched, loading, loaded, error, filtered, search, loadMore, clear, reset };
});
