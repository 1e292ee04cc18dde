import { describe, expect, it } from 'vitest';
import { filtersFromQuery, queryFromFilters } from '../../../web/admin/searchQuery.js';
import { operations } from '../../../client/operations.js';

/** Issue 21: a report's drill-down link becomes the search's filters, and the filters become the same link again. */
describe('admin search filters in the URL', () => {
  it('reads the report filter\'s names and the search\'s own, one or many values, and ignores the rest', () => {
    const f = filtersFromQuery({
      from: '2026-11-01', to: '2026-11-30', tz: 'Asia/Shanghai', agentId: 'a1', teamId: ['t1', 't2'], tag: ['x'], q: '退款', rating: ['1', '2'],
      comment: 'yes', status: [null], unknown: 'ignored', cursor: 'c',
    });
    expect(f).toEqual({ from: '2026-11-01', to: '2026-11-30', tz: 'Asia/Shanghai', agentId: ['a1'], teamId: ['t1', 't2'], tag: ['x'], q: '退款', rating: ['1', '2'], comment: 'yes' });
    expect(filtersFromQuery({ comment: 'maybe', q: '' })).toEqual({});
  });

  it('writes back a query without empty filters, and the API path repeats list keys', () => {
    expect(queryFromFilters({ q: 'refund', teamId: [], agentId: ['a1'], visitor: '' })).toEqual({ q: 'refund', agentId: ['a1'] });
    expect(operations.searchConversations.path({ agentId: ['a', 'b'], q: 'x y', limit: 25 })).toBe('/api/search/conversations?agentId=a&agentId=b&q=x+y&limit=25');
    expect(operations.exportConversationSearch.path({ from: '2026-01-01' })).toBe('/api/search/conversations.csv?from=2026-01-01');
  });
});
