import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Wallboard } from '../../../domain/wallboard.js';
import { staffClient, type StaffClient } from '../../helpers/clients.js';
import { startDesk, waitUntil, type Desk } from '../routing/helpers.js';

/** Issue 21: the live wallboard (GET /api/wallboard, socket `wallboard` to admins, its settings). */
describe('wallboard', () => {
  let desk: Desk;
  let admin: StaffClient;
  const boards: Array<{ at: number; board: Wallboard }> = [];

  beforeAll(async () => {
    desk = await startDesk({ routing: { serviceMode: 'automatic' } });
    admin = await staffClient(desk.stack.baseUrl, 'admin@parley.local');
    desk.clients.push(admin);
    admin.socket.on('wallboard', (board: Wallboard) => boards.push({ at: Date.now(), board }));
  });
  afterAll(async () => { await desk?.close(); });

  const nextBoard = (pred: (b: Wallboard) => boolean, what: string, ms = 10_000) =>
    waitUntil(() => boards.find((b) => pred(b.board))?.board, `a wallboard event where ${what}`, ms);

  it('refuses bad settings with a clear error and changes nothing; admins change N', async () => {
    const before = await desk.api('/api/settings/wallboard');
    expect(before).toMatchObject({ status: 200, body: { serviceLevelSec: 20, timeZone: 'UTC' } });
    for (const bad of [{ serviceLevelSec: 0 }, { serviceLevelSec: 1.5 }, { serviceLevelSec: 99999 }, { timeZone: 'Mars/Olympus' }, { colour: 'red' }, {}]) {
      const res = await desk.api('/api/settings/wallboard', 'PUT', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
    expect((await desk.api('/api/settings/wallboard')).body).toEqual(before.body);
    const changed = await desk.api('/api/settings/wallboard', 'PUT', { serviceLevelSec: 30, timeZone: 'Asia/Shanghai' });
    expect(changed).toMatchObject({ status: 200, body: { serviceLevelSec: 30, timeZone: 'Asia/Shanghai' } });
    const board = await desk.api('/api/wallboard');
    expect(board.body.serviceLevel).toMatchObject({ thresholdSec: 30, timeZone: 'Asia/Shanghai' });
  });

  it('agents and visitors see no wallboard: REST refused, no socket event', async () => {
    const agent = await desk.agent({ name: 'Nosy', online: false });
    expect((await desk.api('/api/wallboard', 'GET', undefined, agent.token)).status).toBe(403);
    expect((await desk.api('/api/settings/wallboard', 'PUT', { serviceLevelSec: 5 }, agent.token)).status).toBe(403);
    let seen = 0;
    agent.socket.on('wallboard', () => { seen++; });
    await agent.setStatus('online');
    await nextBoard((b) => b.agents.some((a) => a.agentId === agent.userId), 'the nosy agent is online');
    expect(seen).toBe(0);
    await desk.retire();
  });

  it('shows a waiting visitor per team, then the agent who takes it with its load, live and within a second', async () => {
    const team = await desk.team({ name: '售后服务组 — a very long team name for the wallboard tiles' });
    // An agent with room for one serves one visitor; the next one of the team waits.
    const first = await desk.agent({ name: '张三', teams: [team], max: 1 });
    const served = await desk.visitor({ team, name: 'Ada' });
    await desk.assigned(served.conversation.id, first.userId);
    const visitor = await desk.visitor({ team, name: '王小明' });
    const queued = await nextBoard((b) => b.teams.some((t) => t.teamId === team.id && t.queued === 1), 'the team has one waiting');
    const row = queued.teams.find((t) => t.teamId === team.id)!;
    expect(row.teamName).toBe(team.name);
    expect(row.oldestEnqueuedAt).not.toBeNull();
    expect(queued.inProgress.queued + queued.inProgress.offered).toBeGreaterThanOrEqual(1);

    const agent = await desk.agent({ name: '李雷', teams: [team], max: 2, online: false });
    const since = boards.length;
    const wentOnline = Date.now();
    await agent.setStatus('online');
    await desk.assigned(visitor.conversation.id, agent.userId);
    const taken = await nextBoard((b) => b.agents.some((a) => a.agentId === agent.userId && a.load === 1), 'the agent holds it');
    const event = boards.find((b) => b.board === taken)!;
    // Within a second of the desk projection that assigned it (generous: the dispatcher's turn comes first).
    expect(event.at - wentOnline).toBeLessThan(5_000);
    expect(taken.agents.find((a) => a.agentId === agent.userId)).toMatchObject({ name: '李雷', status: 'online', maxConversations: 2 });
    expect(taken.teams.find((t) => t.teamId === team.id)).toMatchObject({ queued: 0, oldestEnqueuedAt: null });
    expect(taken.inProgress.assigned).toBeGreaterThanOrEqual(1);
    expect(taken.agentsByStatus.online).toBeGreaterThanOrEqual(1);

    // Coalesced: never two boards to this admin within the interval.
    const sent = boards.slice(since).map((b) => b.at);
    for (let i = 1; i < sent.length; i++) expect(sent[i] - sent[i - 1]).toBeGreaterThanOrEqual(900);

    // The answer within N counts for today's service level.
    expect((await agent.send(visitor.conversation.id, '您好')).ok).toBe(true);
    const level = await waitUntil(async () => {
      const b = (await desk.api('/api/wallboard')).body as Wallboard;
      return b.serviceLevel.answeredInTime >= 1 ? b.serviceLevel : null;
    }, 'the answer counts');
    expect(level.counted).toBeGreaterThanOrEqual(level.answeredInTime);
    expect(level.ratio).toBeGreaterThan(0);
  });
});
