import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRecord, SearchPage, Transcript } from '../../../domain/contracts/rest.js';
import { SEARCH_COUNT_CAP, SEARCH_CSV_COLUMNS } from '../../../domain/search.js';
import { http, type StaffClient, type VisitorClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { conversationHeldBy, staff } from '../../security/lib/principals.js';
import { waitUntil } from '../routing/helpers.js';

/**
 * Issue 21, the admin search: a real conversation (served by alice, a private note, closed, rated with a
 * comment) found by a message word, its visitor, agent, dates and rating; cursor paging and the capped
 * total over generated rows; the streamed CSV; a conversation's record and the staff transcript exports;
 * bad input refused; agents refused.
 */
/** The records of a CSV text (a byte-order mark allowed). */
const csvRows = (text: string): string[][] => parse(text, { bom: true });

describe('admin search over every conversation', () => {
  let stack: Stack;
  let team: { alice: StaffClient; bob: StaffClient; admin: StaffClient };
  let served: VisitorClient;
  let id: string;

  const get = <T>(path: string, token: string | undefined) => http<T>(stack.baseUrl, 'GET', path, { token });
  const search = async (query: string, token = team.admin.token) => get<SearchPage>(`/api/search/conversations?${query}`, token);
  const ids = (page: SearchPage) => page.items.map((i) => i.conversation.id);
  const sql = (text: string, values: unknown[] = []) => stack.database.pool.query(text, values);

  /** `n` closed conversations of one visitor, minutes apart (newest first from `latest`), each with a message holding `word`. */
  async function generate(n: number, word: string, visitorName: string, latest = '2026-03-01T12:00:00Z') {
    const visitor = randomUUID();
    await sql(`insert into visitors (id, display_name, email) values ($1, $2, $3)`, [visitor, visitorName, `${word}@example.com`]);
    await sql(`
      with c as (
        insert into conversations (id, workflow_id, visitor_id, channel, status, flow_id, flow_version, created_at, ended_at, closed_by)
        select g.id, 'conversation-' || g.id, $1::uuid, 'web', 'ended', 'default', 1, $3::timestamptz - (g.i || ' minutes')::interval, $3::timestamptz, 'timer'
        from (select gen_random_uuid() as id, i from generate_series(1, $2::int) i) g returning id, created_at)
      insert into messages (id, conversation_id, sender, body, created_at)
      select gen_random_uuid(), c.id, 'visitor', jsonb_build_object('kind', 'text', 'text', 'about the ' || $4 || ' please'), c.created_at from c`,
    [visitor, n, latest, word]);
  }

  beforeAll(async () => {
    stack = await startStack();
    team = await staff(stack.baseUrl);
    served = await conversationHeldBy(stack.baseUrl, team.alice, 'Zhang Wei 张伟 =HYPERLINK("x")');
    id = served.conversation.id;
    expect((await served.send('My espresso machine leaks water everywhere')).ok).toBe(true);
    expect((await served.send('咖啡机漏水了')).ok).toBe(true);
    expect((await team.alice.send(id, 'A replacement gasket is on its way')).ok).toBe(true);
    const note = await http(stack.baseUrl, 'POST', `/api/conversations/${id}/notes`, { token: team.alice.token, body: { clientId: randomUUID(), text: 'warranty checked' } });
    expect(note.status).toBe(201);
    expect((await team.alice.closeConversation(id)).ok).toBe(true);
    await served.waitForBody('rating-invite');
    expect((await served.rate(2, 'slow but fixed')).ok).toBe(true);
    await waitUntil(async () => (await sql('select rating from conversations where id = $1', [id])).rows[0]?.rating === 2, 'the rating is projected');
    await generate(60, 'zeppelin', 'Paging Visitor');
    await generate(1, 'formula', '=SUM(A1:A9)');
    await generate(SEARCH_COUNT_CAP + 5, 'quokka', 'Many Visitor', '2026-02-01T12:00:00Z');
  }, 120_000);
  afterAll(async () => {
    served?.close();
    for (const c of Object.values(team ?? {})) c.close();
    await stack?.stop();
  });

  it('finds the conversation by a word from it, a Chinese substring, its visitor, its agent and its rating comment', async () => {
    const word = await search('q=espresso');
    expect(word.status).toBe(200);
    expect(ids(word.body)).toEqual([id]);
    expect(word.body.items[0].match?.snippet.text).toContain('espresso machine');
    expect(word.body.total).toEqual({ count: 1, capped: false });
    expect(ids((await search(`q=${encodeURIComponent('漏水')}`)).body)).toEqual([id]);
    expect(ids((await search(`visitor=${encodeURIComponent('zhang wei')}`)).body)).toEqual([id]);
    expect(ids((await search(`visitor=${encodeURIComponent('张伟')}`)).body)).toEqual([id]);
    const me = (await get<{ id: string }>('/api/auth/me', team.alice.token)).body;
    const byAgent = await search(`agentId=${me.id ?? ''}&rating=2&comment=yes&closedBy=agent`);
    expect(ids(byAgent.body)).toEqual([id]);
    expect(ids((await search(`q=espresso&comment=no`)).body)).toEqual([]);
    expect(ids((await search(`q=espresso&rating=5`)).body)).toEqual([]);
    expect(ids((await search(`q=espresso&agentId=${randomUUID()}`)).body)).toEqual([]);
  });

  it('takes the report filter\'s days in a time zone (inclusive)', async () => {
    await sql(`update conversations set created_at = '2026-01-10T23:30:00Z' where id = $1`, [id]);
    // 23:30 UTC on the 10th is the 11th in Shanghai
    expect(ids((await search('q=espresso&from=2026-01-11&to=2026-01-11&tz=Asia/Shanghai')).body)).toEqual([id]);
    expect(ids((await search('q=espresso&from=2026-01-11&to=2026-01-11')).body)).toEqual([]);
    expect(ids((await search('q=espresso&from=2026-01-10&to=2026-01-10')).body)).toEqual([id]);
  });

  it('pages newest first by cursor past any cap, and counts up to the cap', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: SearchPage = (await search(`q=zeppelin&limit=25${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(page.total).toEqual({ count: 60, capped: false });
      seen.push(...ids(page));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(60);
    const many = (await search('visitor=Many+Visitor&limit=5')).body;
    expect(many.total).toEqual({ count: SEARCH_COUNT_CAP, capped: true });
    const dates = many.items.map((i) => i.conversation.createdAt);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('exports every match as CSV, formulas defused', async () => {
    const res = await fetch(`${stack.baseUrl}/api/search/conversations.csv?q=espresso`, { headers: { authorization: `Bearer ${team.admin.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = csvRows(await res.text());
    expect(rows[0]).toEqual([...SEARCH_CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries(SEARCH_CSV_COLUMNS.map((c, i) => [c, rows[1][i]]));
    expect(row).toMatchObject({ conversation_id: id, rating: '2', rating_comment: 'slow but fixed', closed_by: 'agent', agent: expect.any(String) as string });
    expect(row.visitor_name.startsWith('Zhang Wei')).toBe(true);
    const formula = await fetch(`${stack.baseUrl}/api/search/conversations.csv?q=formula`, { headers: { authorization: `Bearer ${team.admin.token}` } });
    expect(csvRows(await formula.text())[1][SEARCH_CSV_COLUMNS.indexOf('visitor_name')]).toBe("'=SUM(A1:A9)");
    const all = await fetch(`${stack.baseUrl}/api/search/conversations.csv?visitor=Many+Visitor`, { headers: { authorization: `Bearer ${team.admin.token}` } });
    expect(csvRows(await all.text()).length).toBe(SEARCH_COUNT_CAP + 5 + 1); // every row, more than one batch
  });

  it('gives the conversation\'s record and the staff transcript as text and JSON, with the private note', async () => {
    const record = await get<ConversationRecord>(`/api/conversations/${id}/record`, team.admin.token);
    expect(record.status).toBe(200);
    expect(record.body.ratings).toMatchObject([{ score: 2, comment: 'slow but fixed', counted: true }]);
    const kinds = record.body.timeline.map((e) => e.kind);
    expect(kinds[0]).toBe('started');
    expect(kinds).toEqual(expect.arrayContaining(['end', 'rating-invite']));
    const text = await fetch(`${stack.baseUrl}/api/conversations/${id}/transcript/export?format=text`, { headers: { authorization: `Bearer ${team.alice.token}` } });
    expect(text.status).toBe(200);
    const body = await text.text();
    expect(body).toContain('Visitor Zhang Wei 张伟');
    expect(body).toContain('My espresso machine leaks water everywhere');
    expect(body).toContain('[Private note] warranty checked');
    const json = await get<Transcript & { record: ConversationRecord }>(`/api/conversations/${id}/transcript/export?format=json`, team.admin.token);
    expect(json.status).toBe(200);
    expect(json.body.messages.some((m) => m.body.kind === 'note')).toBe(true);
    expect(json.body.record.ratings[0].comment).toBe('slow but fixed');
    // bob never served it
    expect((await get(`/api/conversations/${id}/transcript/export`, team.bob.token)).status).toBe(403);
    expect((await get(`/api/conversations/${id}/record`, team.bob.token)).status).toBe(403);
  });

  it('refuses agents and bad filters with a clear error', async () => {
    expect((await search('q=espresso', team.alice.token)).status).toBe(403);
    for (const [query, field] of [['tz=Mars/Olympus', 'tz'], ['from=2026-02-02&to=2026-02-01', 'from'], ['cursor=nope', 'cursor'],
      ['agentId=alice', 'agentId'], ['rating=7', 'rating'], ['limit=1000', 'limit'], ['from=yesterday', 'from'], ['unknown=1', undefined]] as const) {
      const res = await search(query) as unknown as { status: number; body: { error: { code: string; field?: string } } };
      expect(res.status, query).toBe(400);
      if (field) expect(res.body.error.field, query).toBe(field);
    }
  });
});
