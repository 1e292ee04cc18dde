import { operations as ops } from '../../client/operations.js';
import type { ApiClient } from '../common/api.js';
import type { SearchFilters } from '../../domain/search.js';

export { asFilters, filtersFromQuery, queryFromFilters, type LooseFilters, type SearchListKey } from './searchQuery.js';

/** Issue 21: the admin search's API calls and download addresses (URL filters: ./searchQuery.ts). */
export const searchApi = {
  page: (api: ApiClient, filters: SearchFilters, cursor?: string) =>
    api.rest.call(ops.searchConversations, { params: { ...filters, ...(cursor ? { cursor } : {}), limit: 25 } }),
  /** Where the browser downloads the CSV (a same-origin GET carries the session cookie). */
  csvUrl: (filters: SearchFilters) => ops.exportConversationSearch.path(filters),
  record: (api: ApiClient, id: string) => api.rest.call(ops.getConversationRecord, { params: { id } }),
  transcriptUrl: (id: string, format: 'text' | 'json', locale: string) => ops.exportTranscript.path({ id, format, locale }),
};
