import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../../activities/assignment-hints.js';
import { startDesk, type Agent, type Desk } from './helpers.js';

const SECRET = 'webhook-secret-for-tests-0123456789';

/**
 * The webhook strategy, Tencent Cloud Desk's ChatBot.OnAssignAgent as its document specifies: the desk POSTs
 * {CallbackCommand, SessionId, ClientUserId, EventTime in ms} (signed) and reads {ActionStatus, ErrorCode,
 * AgentGroupId, AgentIdList}. Anything unusable falls back to the default strategy.
 */
describe('routing: assignment webhook', () => {
  let desk: Desk;
  let server: http.Server;
  const calls: Array<{ CallbackCommand: string; SessionId: string; ClientUserId: string; EventTime: number }> = [];
  const requests: Array<{ url: string; signature: string | undefined; body: string }> = [];
  let answer: (res: http.ServerResponse) => void = (res) => res.end('{}');

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        calls.push(JSON.parse(body));
        requests.push({ url: req.url ?? '', signature: req.headers['x-parley-signature'] as string | undefined, body });
        answer(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/assign?SdkAppid=1400000000`;
    desk = await startDesk({ outboundAllow: '127.0.0.1', webhookSecret: SECRET, routing: { serviceMode: 'automatic', strategy: 'webhook', assignWebhookUrl: url, assignWebhookTimeoutMs: 300 } });
  });
  afterEach(async () => { await desk.retire(); });
  afterAll(async () => {
    await desk?.close();
    server.closeAllConnections();
    server.close();
  });

  const json = (status: number, body: unknown) => (res: http.ServerResponse) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  /** Two fresh agents; `byDefault` is the one longest idle would pick (equal idle time: lower id). */
  async function pair(): Promise<{ byDefault: Agent; other: Agent }> {
    const made = [await desk.agent({ online: false }), await desk.agent({ online: false })].sort((x, y) => (x.userId < y.userId ? -1 : 1));
    for (const a of made) expect(await a.setStatus('online')).toMatchObject({ ok: true });
    return { byDefault: made[0], other: made[1] };
  }

  it('Tencent OnAssignAgent: sends CallbackCommand, SessionId, ClientUserId and EventTime in milliseconds, signed', async () => {
    const { other } = await pair();
    answer = json(200, { ActionStatus: 'OK', ErrorCode: 0, AgentIdList: [other.userId] });
    const before = Date.now();
    const visitor = await desk.visitor();
    expect(await desk.assigned(visitor.conversation.id)).toBe(other.userId);
    const call = calls.find((c) => c.SessionId === visitor.conversation.id)!;
    expect(call).toEqual({ CallbackCommand: 'ChatBot.OnAssignAgent', SessionId: visitor.conversation.id, ClientUserId: visitor.visitorId, EventTime: expect.any(Number) });
    expect(call.EventTime).toBeGreaterThanOrEqual(before - 5_000);
    expect(call.EventTime).toBeLessThanOrEqual(Date.now());
    const request = requests.find((r) => r.body.includes(visitor.conversation.id))!;
    const query = new URL(request.url, 'http://x').searchParams;
    expect([query.get('SdkAppid'), query.get('CallbackCommand'), query.get('contenttype')]).toEqual(['1400000000', 'ChatBot.OnAssignAgent', 'json']);
    const at = Number(/^t=(\d+),/.exec(request.signature ?? '')?.[1]);
    expect(request.signature).toBe(signWebhookBody(SECRET, request.body, at));
    expect(request.signature).not.toBe(signWebhookBody('another-secret-0123456789', request.body, at));
  });

  it('Tencent OnAssignAgent: ErrorCode 1 (or ActionStatus FAIL) means the data is ignored', async () => {
    const { byDefault, other } = await pair();
    answer = json(200, { ActionStatus: 'FAIL', ErrorCode: 1, AgentIdList: [other.userId] });
    const v1 = await desk.visitor();
    expect(await desk.assigned(v1.conversation.id)).toBe(byDefault.userId);
    expect(await byDefault.closeConversation(v1.conversation.id)).toEqual({ ok: true });
    await desk.agentView(byDefault.userId, (a) => a.conversationIds.length === 0, 'released');
    // byDefault was just used, so the default is now the other one: name byDefault with ErrorCode 0 and it wins
    answer = json(200, { ActionStatus: 'OK', ErrorCode: 0, AgentIdList: [byDefault.userId] });
    const v2 = await desk.visitor();
    expect(await desk.assigned(v2.conversation.id)).toBe(byDefault.userId);
  });

  it('Tencent OnAssignAgent: an integer AgentGroupId names the team, and AgentIdList may name agents by account', async () => {
    const team = await desk.team({ id: '6521' });
    const { other } = await pair();
    expect((await desk.api(`/api/agents/${other.userId}`, 'PATCH', { teamIds: [team.id] })).status).toBe(200);
    answer = json(200, { ActionStatus: 'OK', ErrorCode: 0, AgentGroupId: 6521 });
    const visitor = await desk.visitor();
    expect(await desk.assigned(visitor.conversation.id)).toBe(other.userId);
    expect((await desk.row(visitor.conversation.id)).teamId).toBe('6521');
    expect(await other.closeConversation(visitor.conversation.id)).toEqual({ ok: true });
    await desk.agentView(other.userId, (a) => a.conversationIds.length === 0, 'released');

    const email = (await desk.api(`/api/agents`)).body.agents.find((a: { id: string }) => a.id === other.userId).email as string;
    answer = json(200, { ActionStatus: 'OK', ErrorCode: 0, AgentIdList: [email.toUpperCase()] });
    const v2 = await desk.visitor();
    expect(await desk.assigned(v2.conversation.id)).toBe(other.userId);
  });

  it('falls back to the default when the named agent cannot take it', async () => {
    const { byDefault, other } = await pair();
    expect(await other.setStatus('busy')).toMatchObject({ ok: true });
    answer = json(200, { AgentIdList: [other.userId, '00000000-0000-4000-8000-000000000000'] });
    const visitor = await desk.visitor();
    expect(await desk.assigned(visitor.conversation.id)).toBe(byDefault.userId);
  });

  it('falls back to the default when the webhook times out', async () => {
    const { byDefault, other } = await pair();
    answer = (res) => { setTimeout(() => json(200, { AgentIdList: [other.userId] })(res), 1_500); };
    const visitor = await desk.visitor();
    expect(await desk.assigned(visitor.conversation.id)).toBe(byDefault.userId);
    expect(calls.some((c) => c.SessionId === visitor.conversation.id)).toBe(true);
  });

  it('falls back to the default on an HTTP 500 or an answer that is not JSON', async () => {
    const { byDefault, other } = await pair();
    answer = json(500, { AgentIdList: [other.userId] });
    const v1 = await desk.visitor();
    expect(await desk.assigned(v1.conversation.id)).toBe(byDefault.userId);
    expect(await byDefault.closeConversation(v1.conversation.id)).toEqual({ ok: true });
    await desk.agentView(byDefault.userId, (a) => a.conversationIds.length === 0, 'released');
    // byDefault was just used, so the default is now the other one
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('not json');
    const v2 = await desk.visitor();
    expect(await desk.assigned(v2.conversation.id)).toBe(other.userId);
  });

  it('routes to the team named by AgentGroupId', async () => {
    const team = await desk.team();
    const { byDefault, other } = await pair();
    expect((await desk.api(`/api/agents/${other.userId}`, 'PATCH', { teamIds: [team.id] })).status).toBe(200);
    answer = json(200, { AgentGroupId: team.id, AgentIdList: [] });
    const visitor = await desk.visitor();
    expect(await desk.assigned(visitor.conversation.id)).toBe(other.userId);
    expect((await desk.row(visitor.conversation.id)).teamId).toBe(team.id);

    // an unknown group is ignored: the default strategy over the whole desk
    answer = json(200, { AgentGroupId: 'no-such-team', AgentIdList: [] });
    const v2 = await desk.visitor();
    expect(await desk.assigned(v2.conversation.id)).toBe(byDefault.userId);
    expect((await desk.row(v2.conversation.id)).teamId).toBeNull();
  });
});
