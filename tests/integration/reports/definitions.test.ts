import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillReportFacts, backfillReportFactsIfNew } from '../../../db/reports/facts.js';
import { operations } from '../../../client/operations.js';
import { restClient } from '../../../client/rest.js';
import { http } from '../../helpers/clients.js';
import { startStack, TEST_PASSWORD, type Stack } from '../../helpers/stack.js';

/**
 * The metric definitions of docs/metrics.md on hand-built histories (rows as the stack writes them, in
 * March 2026), derived by the set-based backfill and read through GET /api/reports/*: local days and hours
 * of a time zone, abandoned / left-message / bot-only / open, a rating changed under the first and the
 * last policy and on a 10-point scale, status time across midnight and the range's edges, compare.
 */
describe('reports: metric definitions on hand-built histories', () => {
  let stack: Stack;
  let admin: string;
  let agent: { id: string; token: string };
  const T0 = Date.parse('2026-03-02T08:00:00Z'); // 09:00 in Berlin, a Monday
  const at = (ms: number) => new Date(ms).toISOString();
  const ids = {
    served: randomUUID(), servedFirst: randomUUID(), abandoned: randomUUID(), left: randomUUID(), bot: randomUUID(), open: randomUUID(), before: randomUUID(),
  };
  const q = (extra = '') => `/api/reports/volume?from=2026-03-02&to=2026-03-02&tz=Europe/Berlin&channel=hb${extra}`;
  const get = (path: string, token = admin) => http<any>(stack.baseUrl, 'GET', path, { token });

  beforeAll(async () => {
    stack = await startStack();
    admin = (await restClient(stack.baseUrl).call(operations.login, { body: { email: 'admin@parley.local', password: TEST_PASSWORD } })).token;
    const email = `${randomUUID().slice(0, 8)}@parley.local`;
    const created = await http<any>(stack.baseUrl, 'POST', '/api/agents', { token: admin, body: { email, nickname: 'Hana', password: TEST_PASSWORD, maxConversations: 3, teamIds: [] } });
    expect(created.status).toBe(201);
    agent = { id: created.body.id, token: (await restClient(stack.baseUrl).call(operations.login, { body: { email, password: TEST_PASSWORD } })).token };

    const pool = stack.database.pool;
    const visitor = randomUUID();
    await pool.query(`insert into visitors (id, display_name) values ($1, 'Hand Built')`, [visitor]);
    const conversation = async (id: string, start: number, status: string, agentId: string | null, closedBy: string | null) => pool.query(
      `insert into conversations (id, workflow_id, visitor_id, channel, status, agent_id, team_id, flow_id, flow_version, closed_by, created_at, ended_at)
       values ($1, $2, $3, 'hb', $4, $5, $6, 'default', 1, $7, $8, $9)`,
      [id, `conversation-${id}`, visitor, status, agentId, agentId ? 'hb-team' : null, closedBy, at(start), closedBy ? at(start + 400_000) : null]);
    const message = (id: string, ms: number, sender: string, body: object, senderId: string | null = null) => pool.query(
      `insert into messages (id, conversation_id, sender, sender_id, body, client_id, created_at) values ($1, $2, $3, $4, $5, $6, $7)`,
      [randomUUID(), id, sender, senderId, JSON.stringify(body), randomUUID(), at(ms)]);
    /** Queued at +10 s, connected at +40 s, answered at +70 s, closed at +400 s (wait 30, first response 30, handle 360, resolution 400). */
    const served = async (id: string, start: number, policyLast: boolean, scale: number, scores: [number, number]) => {
      await conversation(id, start, 'ended', agent.id, 'agent');
      await message(id, start + 10_000, 'system', { kind: 'queue', text: 'You are number 1', position: 1, waitNo: 1 });
      await message(id, start + 40_000, 'system', { kind: 'notice', text: 'You are now chatting with Hana.' });
      await message(id, start + 70_000, 'agent', { kind: 'text', text: 'Hello' }, agent.id);
      await message(id, start + 400_000, 'system', { kind: 'end', text: 'Bye', closedBy: 'agent' });
      await message(id, start + 401_000, 'system', { kind: 'rating-invite', text: 'Rate us', validUntil: at(start + 900_000), scale });
      // Two submissions: under "last counts" the second replaced the first; under "first counts" the second was kept uncounted.
      await pool.query(`insert into ratings (conversation_id, score, comment, counted, request_id, scale, resolved, created_at) values
        ($1, $2, $3, $4, $5, $6, $7, $8), ($1, $9, $10, $11, $12, $6, $13, $14)`,
      [id, scores[0], policyLast ? 'meh' : null, !policyLast, randomUUID(), scale, policyLast ? false : null, at(start + 410_000),
        scores[1], policyLast ? 'great after all' : 'changed my mind', policyLast, randomUUID(), policyLast ? true : null, at(start + 420_000)]);
    };
    await served(ids.served, T0, true, 5, [2, 5]);
    await served(ids.servedFirst, T0 + 3600_000, false, 10, [8, 1]);
    // 00:30 in Berlin on Monday, but still Sunday in UTC: queued, and the visitor gave up.
    await conversation(ids.abandoned, Date.parse('2026-03-01T23:30:00Z'), 'ended', null, 'visitor');
    await message(ids.abandoned, Date.parse('2026-03-01T23:30:05Z'), 'system', { kind: 'queue', text: 'You are number 3', position: 3, waitNo: 1 });
    await message(ids.abandoned, Date.parse('2026-03-01T23:35:00Z'), 'system', { kind: 'end', text: 'Bye', closedBy: 'visitor' });
    await conversation(ids.left, T0 + 2 * 3600_000, 'ended', null, 'left-message');
    await message(ids.left, T0 + 2 * 3600_000 + 5_000, 'system', { kind: 'queue', text: 'You are number 1', position: 1, waitNo: 1 });
    await message(ids.left, T0 + 2 * 3600_000 + 60_000, 'system', { kind: 'end', text: 'Thanks', closedBy: 'left-message' });
    await conversation(ids.bot, T0 + 3 * 3600_000, 'ended', null, 'flow');
    await message(ids.bot, T0 + 3 * 3600_000 + 30_000, 'bot', { kind: 'end', text: 'Bye', closedBy: 'flow' });
    await conversation(ids.open, T0 + 4 * 3600_000, 'queued', null, null);
    await message(ids.open, T0 + 4 * 3600_000 + 5_000, 'system', { kind: 'queue', text: 'You are number 1', position: 1, waitNo: 1 });
    await conversation(ids.before, Date.parse('2026-03-01T10:00:00Z'), 'ended', null, 'visitor');

    // Hana's status: online from 22:00 Berlin on Sunday, away 02:00–03:00, offline, online again 23:30 until 01:00 on Tuesday.
    const status = (s: string, iso: string) => pool.query('insert into agent_status_log (user_id, status, at) values ($1, $2, $3)', [agent.id, s, iso]);
    await status('online', '2026-03-01T21:00:00Z');
    await status('away', '2026-03-02T01:00:00Z');
    await status('offline', '2026-03-02T02:00:00Z');
    await status('online', '2026-03-02T22:30:00Z');
    await status('offline', '2026-03-03T00:00:00Z');

    // As an upgraded desk's API start does: the projection is empty, so it is filled once.
    expect(await backfillReportFactsIfNew(stack.database.db)).toBeGreaterThanOrEqual(7);
    expect(await backfillReportFactsIfNew(stack.database.db)).toBeNull();
    expect(await backfillReportFacts(stack.database.db)).toBeGreaterThanOrEqual(7); // idempotent
  });
  afterAll(async () => { await stack?.stop(); });

  it('volume: outcomes, who closed, local hours and days of week, and the previous period', async () => {
    const res = await get(q('&compare=true'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.totals).toEqual({
      started: 6, served: 2, abandonedInQueue: 1, leftMessage: 1, botOnly: 1, open: 1,
      closedBy: { visitor: 1, agent: 2, admin: 0, timer: 0, flow: 1, system: 0, leftMessage: 1 },
    });
    const hours = Object.fromEntries(res.body.byHourOfDay.filter((b: any) => b.started).map((b: any) => [b.key, b.started]));
    expect(hours).toEqual({ 0: 1, 9: 1, 10: 1, 11: 1, 12: 1, 13: 1 });
    expect(res.body.byDayOfWeek[0]).toMatchObject({ key: '1', started: 6 });
    expect(res.body.byDay).toEqual([expect.objectContaining({ key: '2026-03-02', started: 6, served: 2, abandonedInQueue: 1, leftMessage: 1 })]);
    expect(res.body.previous).toEqual({ period: { from: '2026-03-01', to: '2026-03-01', tz: 'Europe/Berlin' }, totals: expect.objectContaining({ started: 1 }) });
    // In UTC the abandoned conversation belongs to Sunday.
    expect((await get(q().replace('Europe/Berlin', 'UTC'))).body.totals.started).toBe(5);
  });

  it('times: queue wait, first response, handle and resolution from the transcript', async () => {
    const res = await get(q().replace('/volume', '/times'));
    expect(res.status).toBe(200);
    const t = res.body.totals;
    expect(t.queueWait).toEqual({ count: 2, avg: 30, p50: 30, p90: 30 });
    expect(t.firstResponse).toEqual({ count: 2, avg: 30, p50: 30, p90: 30 });
    expect(t.handleTime).toEqual({ count: 2, avg: 360, p50: 360, p90: 360 });
    expect(t.resolution.count).toBe(5); // every closed one (the open one has none)
  });

  it('quality: the counted rating under each policy, normalised to 1–5, resolved, comments, per agent', async () => {
    const res = await get(q().replace('/volume', '/quality'));
    expect(res.status).toBe(200);
    // last policy: 5 (not the replaced 2); first policy on a 10-point scale: 8 → 4 (not the later 1)
    expect(res.body.csat).toMatchObject({ ratings: 2, invited: 2, avg: 4.5, responseRate: 1, resolved: 1, unresolved: 0, resolvedNotAsked: 1, withComment: 1 });
    expect(res.body.csat.distribution.map((d: any) => d.count)).toEqual([0, 0, 0, 1, 1]);
    // the counted rating's comment only (under "first counts" the later comment is not the counted one)
    expect(res.body.comments.map((c: any) => [c.conversationId, c.comment, c.score, c.resolved])).toEqual([[ids.served, 'great after all', 5, true]]);
    expect(res.body.byAgent).toEqual([{ key: agent.id, label: 'Hana', ratings: 2, avg: 4.5, responseRate: 1 }]);
  });

  it('agents: status time clipped to the local day across midnight; an agent reads only their own numbers', async () => {
    const path = `/api/reports/agents?from=2026-03-02&to=2026-03-02&tz=Europe/Berlin&agentId=${agent.id}`;
    const own = await get(path, agent.token);
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const [row] = own.body.agents;
    expect(row).toMatchObject({ agentId: agent.id, name: 'Hana', handled: 2, csatAvg: 4.5, ratings: 2 });
    // 00:00–02:00 and 23:30–24:00 online, 02:00–03:00 away, the rest offline
    expect(row.statusTime).toEqual({ online: 9000, busy: 0, away: 3600, offline: 86_400 - 12_600 });
    expect(own.body.load.length).toBe(24);
    expect(own.body.load[9].avgConcurrent).toBeGreaterThan(0);
    expect((await get(path.replace(`agentId=${agent.id}`, `agentId=${randomUUID()}`), agent.token)).status).toBe(403);
    expect((await get(q(), agent.token)).status).toBe(403);
    const me = await get('/api/reports/me?from=2026-03-02&to=2026-03-02&tz=Europe/Berlin', agent.token);
    expect(me.body.agent).toMatchObject({ handled: 2, statusTime: row.statusTime });
    expect(me.body.csatDistribution.find((d: any) => d.score === 5).count).toBe(1);
  });

  it('refuses bad filters with a clear error naming the field', async () => {
    const bad = async (query: string) => (await get(`/api/reports/volume?${query}`));
    expect((await bad('from=2026-03-05&to=2026-03-01')).body.error).toMatchObject({ code: 'bad_request', field: 'to', message: expect.stringContaining('from must be on or before to') });
    expect((await bad('from=2025-01-01&to=2026-03-01')).body.error.message).toContain('at most 366 days');
    expect((await bad('from=2026-03-01&to=2026-03-01&tz=Mars/Olympus')).body.error.message).toContain('IANA time zone');
    expect((await bad('from=2026-03-01&to=2026-03-01&tz=%2B05:00')).status).toBe(400);
    expect((await bad('from=2026-03-01&to=2026-03-01&agentId=nope')).body.error.message).toContain('agentId must be an agent id');
    expect((await bad('from=1.3.2026&to=2026-03-01')).body.error.message).toContain('from must be a date');
    expect((await bad('from=2026-03-01&to=2026-03-01&colour=red')).status).toBe(400);
  });

  it('CSV: the facts stream one row per conversation; a report its rows', async () => {
    const csv = async (path: string) => fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${admin}` } });
    const facts = await csv('/api/reports/facts.csv?from=2026-03-02&to=2026-03-02&tz=Europe/Berlin&channel=hb');
    expect(facts.status).toBe(200);
    expect(facts.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await facts.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('conversation_id,started_at,channel,flow_id,team_id,agent_id,status,closed_by,queue_wait_sec,first_response_sec,handle_sec,resolution_sec,requeues,transfers,rating,rating_scale,rating_resolved');
    expect(lines).toHaveLength(7);
    expect(lines.find((l) => l.startsWith(ids.served))).toContain(',30,30,360,400,0,0,5,5,true');
    const volume = await (await csv('/api/reports/volume.csv?from=2026-03-02&to=2026-03-02&tz=Europe/Berlin&channel=hb')).text();
    expect(volume).toContain('day,2026-03-02,2026-03-02,6,2,1,1');
    expect((await fetch(`${stack.baseUrl}/api/reports/volume.csv?from=2026-03-02&to=2026-03-02`, { headers: { authorization: `Bearer ${agent.token}` } })).status).toBe(403);
  });
});
