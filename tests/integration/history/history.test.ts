import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryPage, Transcript, VisitorConversations } from '../../../domain/contracts/rest.js';
import { operations } from '../../../client/operations.js';
import { restClient } from '../../../client/rest.js';
import type { ChatMessage } from '../../../domain/messages.js';
import { http, type StaffClient, type VisitorClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { conversationHeldBy, staff } from '../../security/lib/principals.js';
import { waitUntil } from '../routing/helpers.js';

/**
 * Issue 18, "My conversations": an agent's served conversations (filters, cursor paging), message
 * search (words, word starts, partial words, Chinese substrings, no match), plain-text snippets, the
 * read-only transcript and the visitor's earlier conversations, and who may read them.
 */
describe('history: my conversations, search and transcripts', () => {
  let stack: Stack;
  let team: { alice: StaffClient; bob: StaffClient; admin: StaffClient };
  /** A real conversation alice served and closed, with English and Chinese messages. */
  let served: VisitorClient;
  /** The same visitor's next conversation, which alice is serving now. */

  const get = <T>(path: string, token: string | undefined) => http<T>(stack.baseUrl, 'GET', path, { token });
  const mine = (token: string, query = '') => get<HistoryPage>(`/api/me/conversations${query ? `?${query}` : ''}`, token);
  const search = async (token: string, q: string) => (await mine(token, `q=${encodeURIComponent(q)}`)).body;

  beforeAll(async () => {
    stack = await startStack();
    team = await staff(stack.baseUrl);
    served = await conversationHeldBy(stack.baseUrl, team.alice, 'Wang Fang 王芳');
    expect((await served.send('I need a refund for order 4711, the parcel never came')).ok).toBe(true);
    expect((await served.send('我想要退款，订单号码是四七一一')).ok).toBe(true);
    expect((await served.send('<img src=x onerror="alert(1)"> is what the parcel label says')).ok).toBe(true);
    expect((await team.alice.send(served.conversation.id, 'Sorry about that, the refund is on its way')).ok).toBe(true);
    expect((await team.alice.closeConversation(served.conversation.id)).ok).toBe(true);
    await waitUntil(async () => {
      const { rows } = await stack.database.pool.query('select status from conversations where id = $1', [served.conversation.id]);
      return ['rating', 'ended'].includes(rows[0]?.status);
    }, 'the conversation is closed');
  }, 120_000);
  afterAll(async () => {
    served?.close();
    for (const c of Object.values(team ?? {})) c.close();
    await stack?.stop();
  });

  it('lists what the agent served after the chat is over, and nothing served by others', async () => {
    const alice = await mine(team.alice.token);
    expect(alice.status).toBe(200);
    expect(alice.body.items.map((i) => i.conversation.id)).toContain(served.conversation.id);
    expect(alice.body.matched).toBeNull();
    const bob = await mine(team.bob.token);
    expect(bob.body.items.map((i) => i.conversation.id)).not.toContain(served.conversation.id);
  });

  it('finds a conversation by a word, a word start, a word inside another, with a plain-text snippet', async () => {
    const word = await search(team.alice.token, 'REFUND');
    expect(word.matched).toBe('words');
    const hit = word.items.find((i) => i.conversation.id === served.conversation.id)!;
    expect(hit.match?.snippet.text).toContain('refund is on its way'); // the latest matching message
    const { text, highlights } = hit.match!.snippet;
    expect(highlights.map((h) => text.slice(h.start, h.start + h.length).toLowerCase())).toEqual(['refund']);

    const start = await search(team.alice.token, 'parc');
    expect(start.matched).toBe('words');
    expect(start.items.map((i) => i.conversation.id)).toContain(served.conversation.id);

    const inside = await search(team.alice.token, 'fund');
    expect(inside.matched).toBe('partial');
    expect(inside.items.map((i) => i.conversation.id)).toEqual([served.conversation.id]);
  });

  it('finds Chinese text by any substring: two characters, one, three', async () => {
    for (const q of ['退款', '款', '要退款', '订单号码']) {
      const page = await search(team.alice.token, q);
      expect(page.items.map((i) => i.conversation.id), q).toEqual([served.conversation.id]);
      const { text, highlights } = page.items[0].match!.snippet;
      expect(highlights.map((h) => text.slice(h.start, h.start + h.length)), q).toContain(q);
    }
  });

  it('answers no match with an empty page, for words and partial words alike', async () => {
    for (const q of ['zebra', 'qxz', '鲸鱼', '!!!']) {
      const page = await search(team.alice.token, q);
      expect(page.items, q).toEqual([]);
      expect(page.nextCursor).toBeNull();
    }
  });

  it('returns user text in snippets as plain text with offsets, never as markup', async () => {
    const page = await search(team.alice.token, 'label');
    const snippet = page.items[0].match!.snippet;
    expect(snippet.text).toContain('<img src=x onerror="alert(1)">');
    expect(snippet.text.slice(snippet.highlights[0].start, snippet.highlights[0].start + 5)).toBe('label');
    expect(JSON.stringify(page)).not.toMatch(/<mark|&lt;/);
  });

  it('pages newest first by cursor, with no fixed cap, no repeats and no gaps', async () => {
    const ids = await seedConversations(stack, team.bob.userId, 27);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: HistoryPage } = await mine(team.bob.token, `limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i) => i.conversation.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse()); // seeded oldest first
    const created = (await mine(team.bob.token, 'limit=100')).body.items.map((i) => Date.parse(i.conversation.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  it('filters by status, rating (or none), date range and tag; combined with a search', async () => {
    const ids = await seedConversations(stack, team.bob.userId, 6, { tagged: true });
    const only = async (query: string) => (await mine(team.bob.token, `limit=100&${query}`)).body.items.map((i) => i.conversation.id).filter((id) => ids.includes(id));
    // seeded i = 0..5: rating i % 3 === 0 ? null : i; status ended except i = 5 rating; day 2026-01-0(i+1)
    expect(await only('rating=1&rating=2')).toEqual([ids[2], ids[1]]);
    expect(await only('rating=none')).toEqual([ids[3], ids[0]]);
    expect(await only('status=rating')).toEqual([ids[5]]);
    expect(await only('from=2026-01-02&to=2026-01-03')).toEqual([ids[2], ids[1]]);
    expect(await only('from=2026-01-04T00:00:00%2B00:00')).toEqual([ids[5], ids[4], ids[3]]);
    expect(await only('tag=00000000-0000-4000-8000-00000000a001')).toEqual([ids[4], ids[2], ids[0]]);
    expect(await only('tag=00000000-0000-4000-8000-00000000a001&tag=00000000-0000-4000-8000-00000000a002')).toEqual([ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]]);
    expect(await only('tag=00000000-0000-4000-8000-00000000a001&q=invoice')).toEqual([ids[4], ids[2], ids[0]]);
    const page = await mine(team.bob.token, `limit=100&tag=00000000-0000-4000-8000-00000000a001`);
    expect(page.body.items.find((i) => i.conversation.id === ids[0])?.tags).toEqual([{ id: '00000000-0000-4000-8000-00000000a001', name: 'VIP', color: '#aa0000' }]);
  });

  it('refuses bad filters with a clear error and a field', async () => {
    const cases: Array<[string, string]> = [
      ['cursor=nonsense', 'cursor'], ['rating=6', 'rating'], ['status=open', 'status'], ['from=yesterday', 'from'],
      ['from=2026-02-02&to=2026-02-01', 'from'], ['limit=0', 'limit'], [`q=${'x'.repeat(201)}`, 'q'], ['colour=red', ''],
    ];
    for (const [query, field] of cases) {
      const res = await mine(team.alice.token, query);
      expect(res.status, query).toBe(400);
      expect((res.body as unknown as { error: { code: string; field?: string } }).error, query).toMatchObject({ code: 'bad_request', ...(field ? { field } : {}) });
    }
  });

  it('keeps history to staff: a visitor cannot list or read it', async () => {
    expect((await get('/api/me/conversations', served.token)).status).toBe(403);
    expect((await get(`/api/conversations/${served.conversation.id}/transcript`, served.token)).status).toBe(403);
    expect((await get(`/api/visitors/${served.visitorId}/conversations`, served.token)).status).toBe(403);
    expect((await get('/api/me/conversations', undefined)).status).toBe(401);
  });

  it('shows the transcript to the agent who served it and admins, not to another agent', async () => {
    const alice = await get<Transcript>(`/api/conversations/${served.conversation.id}/transcript`, team.alice.token);
    expect(alice.status).toBe(200);
    expect(alice.body.messages.map((m) => m.body.kind === 'text' ? m.body.text : '')).toContain('我想要退款，订单号码是四七一一');
    expect(alice.body.conversation.id).toBe(served.conversation.id);
    expect((await get(`/api/conversations/${served.conversation.id}/transcript`, team.admin.token)).status).toBe(200);
    const bob = await get<{ error: { code: string; message: string } }>(`/api/conversations/${served.conversation.id}/transcript`, team.bob.token);
    expect(bob.status).toBe(403);
    expect(JSON.stringify(bob.body)).not.toContain('王芳');
    expect((await get(`/api/conversations/${randomUUID()}/transcript`, team.admin.token)).status).toBe(404);
  });

  it('an agent who transferred a conversation away still finds it and reads it', async () => {
    const [id] = await seedConversations(stack, team.alice.userId, 1, { text: 'handover about a broken kettle' });
    await stack.database.pool.query(
      `insert into transfers (id, conversation_id, from_agent_id, to_agent_id, outcome) values ($1, $2, $3, $4, 'accepted')`,
      [randomUUID(), id, team.bob.userId, team.alice.userId]);
    const page = await search(team.bob.token, 'kettle');
    expect(page.items.map((i) => i.conversation.id)).toEqual([id]);
    expect((await get(`/api/conversations/${id}/transcript`, team.bob.token)).status).toBe(200);
  });

  /** The visitor of `served` starts a new conversation, asks for an agent, and bob accepts it. */
  async function returnsToBob(visitor: VisitorClient): Promise<string> {
    const next = await restClient(stack.baseUrl).call(operations.startConversation, { token: visitor.token, body: { new: true } });
    const menu = await visitor.waitFor<ChatMessage>('message', (m) => m.conversationId === next.id && m.body.kind === 'menu');
    const items = menu.body.kind === 'menu' ? menu.body.items : [];
    const talk = items.find((i) => /agent/i.test(i.content)) ?? items[0];
    expect((await visitor.send(talk.content, talk.id)).ok).toBe(true);
    expect((await team.bob.setStatus('online')).ok).toBe(true);
    await team.bob.waitFor<{ conversationId: string }>('offer', (o) => o.conversationId === next.id);
    expect((await team.bob.accept(next.id)).ok).toBe(true);
    await team.bob.setStatus('away');
    return next.id;
  }

  it('the agent serving a returning visitor sees their earlier conversations and reads them', async () => {
    const again = await returnsToBob(served);
    const list = await get<VisitorConversations>(`/api/visitors/${served.visitorId}/conversations`, team.bob.token);
    expect(list.status).toBe(200);
    expect(list.body.conversations.map((c) => c.conversation.id)).toEqual([served.conversation.id]); // not the current one
    expect(again).not.toBe(served.conversation.id);
    expect(list.body.conversations[0].conversation.agentName).toBe('Alice');
    // the earlier conversation, served by alice, is now readable by bob
    expect((await get(`/api/conversations/${served.conversation.id}/transcript`, team.bob.token)).status).toBe(200);
    // alice does not serve the visitor now: no list (her own transcript stays readable)
    expect((await get(`/api/visitors/${served.visitorId}/conversations`, team.alice.token)).status).toBe(403);
    expect((await get(`/api/visitors/${served.visitorId}/conversations`, team.admin.token)).status).toBe(200);
    expect((await get(`/api/visitors/${randomUUID()}/conversations`, team.admin.token)).status).toBe(404);
  });
});

/**
 * Closed conversations in the projection (as the workflow leaves them), one message each, a day apart
 * from 2026-01-01 on, oldest first; the ids in that order. With `tagged`, every other one is tagged
 * VIP, the rest Billing.
 */
async function seedConversations(stack: Stack, agentId: string, n: number, opts: { tagged?: boolean; text?: string } = {}): Promise<string[]> {
  const pool = stack.database.pool;
  const visitorId = randomUUID();
  await pool.query(`insert into visitors (id, display_name) values ($1, 'Seeded Visitor')`, [visitorId]);
  if (opts.tagged) {
    await pool.query(`insert into tags (id, name, colour) values ('00000000-0000-4000-8000-00000000a001', 'VIP', '#aa0000'), ('00000000-0000-4000-8000-00000000a002', 'Billing', '#3366cc') on conflict do nothing`);
  }
  const base = Date.parse('2026-01-01T12:00:00Z') + (opts.tagged ? 0 : 365 * 86_400_000);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    ids.push(id);
    const at = new Date(base + i * 86_400_000).toISOString();
    await pool.query(
      `insert into conversations (id, workflow_id, visitor_id, channel, status, agent_id, flow_id, flow_version, rating, closed_by, created_at, updated_at, ended_at)
       values ($1, $2, $3, 'web', $4, $5, 'default', 1, $6, 'agent', $7, $7, $7)`,
      [id, `conversation-${id}`, visitorId, i === 5 ? 'rating' : 'ended', agentId, i % 3 === 0 ? null : i, at]);
    await pool.query(`insert into messages (id, conversation_id, sender, sender_id, body, client_id, created_at) values ($1, $2, 'visitor', $3, $4, $5, $6)`,
      [randomUUID(), id, visitorId, JSON.stringify({ kind: 'text', text: opts.text ?? `About invoice number ${i}` }), randomUUID(), at]);
    if (opts.tagged) await pool.query(`insert into conversation_tags (conversation_id, tag_id, added_by) values ($1, $2, $3)`, [id, i % 2 === 0 ? '00000000-0000-4000-8000-00000000a001' : '00000000-0000-4000-8000-00000000a002', agentId]);
  }
  return ids;
}
