import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../../helpers/clients.js';
import { settle, startDesk, type Desk } from './helpers.js';

/** Blocking visitors: ends their chat (a desk setting), stops new ones, logged with reason and actor; unblock is admin-only; by e-mail or phone too. */
describe('routing: blacklist', () => {
  let desk: Desk;
  beforeAll(async () => { desk = await startDesk({ routing: { serviceMode: 'automatic' } }); });
  afterAll(async () => { await desk?.close(); });

  const startAgain = (token: string, channel: string) =>
    http<any>(desk.stack.baseUrl, 'POST', '/api/visitor/conversations', { token, body: { channel, new: true } });

  it('the serving agent blocks a visitor: the chat ends, no new chat, unblock by an admin only, all logged', async () => {
    const team = await desk.team();
    const agent = await desk.agent({ teams: [team] });
    const visitor = await desk.visitor({ team, name: 'Troll' });
    const id = visitor.conversation.id;
    await desk.assigned(id, agent.userId);
    const bystander = await desk.agent({ teams: [team] });

    // B3Networks: the reason is optional, at most 250 characters.
    const tooLong = await desk.api(`/api/visitors/${visitor.visitorId}/block`, 'POST', { reason: 'x'.repeat(251) }, agent.token);
    expect(tooLong).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('at most 250 characters') } } });
    const notServing = await desk.api(`/api/visitors/${visitor.visitorId}/block`, 'POST', { reason: 'rude' }, bystander.token);
    expect(notServing).toMatchObject({ status: 403, body: { error: { message: 'Agents can block only a visitor they are serving' } } });

    const blocked = await desk.api(`/api/visitors/${visitor.visitorId}/block`, 'POST', { reason: 'Abusive language' }, agent.token);
    expect(blocked).toMatchObject({ status: 200, body: { blocked: true, closed: 1 } });
    const end = await visitor.waitForBody('end');
    expect(end.closedBy).toBe('agent');
    await desk.status(id, 'ended');
    await desk.agentView(agent.userId, (a) => a.conversationIds.length === 0, 'the agent is freed');
    expect((await desk.api(`/api/visitors/${visitor.visitorId}/block`, 'POST', { reason: 'again' })).status).toBe(409);

    const refused = await startAgain(visitor.token, team.channel);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: 'You cannot start a conversation: this visitor has been blocked' } } });
    const plain = await http<any>(desk.stack.baseUrl, 'POST', '/api/visitor/conversations', { token: visitor.token, body: { channel: team.channel } });
    expect(plain.status).toBe(403);

    const agentUnblock = await desk.api(`/api/visitors/${visitor.visitorId}/unblock`, 'POST', { reason: 'sorry' }, agent.token);
    expect(agentUnblock.status).toBe(403);
    expect((await desk.api(`/api/visitors/${visitor.visitorId}/blacklist-log`, 'GET', undefined, agent.token)).status).toBe(403);
    const unblocked = await desk.api(`/api/visitors/${visitor.visitorId}/unblock`, 'POST', { reason: 'Apologised by email' });
    expect(unblocked).toMatchObject({ status: 200, body: { blocked: false } });
    expect((await desk.api(`/api/visitors/${visitor.visitorId}/unblock`, 'POST', { reason: 'twice' })).status).toBe(409);

    const log = await desk.api(`/api/visitors/${visitor.visitorId}/blacklist-log`);
    expect(log.body).toMatchObject({
      blocked: false,
      log: [
        { action: 'unblock', reason: 'Apologised by email', actorId: desk.adminId },
        { action: 'block', reason: 'Abusive language', actorId: agent.userId },
      ],
    });

    const back = await startAgain(visitor.token, team.channel);
    expect(back.status).toBe(200);
    expect(back.body.id).not.toBe(id);
    await desk.assigned(back.body.id);
  });

  it('an admin blocks a queued visitor: the conversation leaves the queue', async () => {
    const team = await desk.team();
    await desk.agent({ teams: [team], online: false }); // someone to wait for
    const visitor = await desk.visitor({ team, name: 'Spammer' });
    const id = visitor.conversation.id;
    await visitor.waitForBody('queue', (b) => b.position === 1);
    const behind = await desk.visitor({ team });
    await behind.waitForBody('queue', (b) => b.position === 2);

    const blocked = await desk.api(`/api/visitors/${visitor.visitorId}/block`, 'POST', { reason: 'Spam' });
    expect(blocked).toMatchObject({ status: 200, body: { blocked: true, closed: 1 } });
    expect((await visitor.waitForBody('end')).closedBy).toBe('admin');
    await desk.status(id, 'ended');
    await behind.waitForBody('queue', (b) => b.position === 1);
    await settle(100);
    expect((await desk.snapshot()).queue.map((e) => e.conversationId)).not.toContain(id);
    expect((await desk.api(`/api/visitors/${visitor.visitorId}/blacklist-log`)).body.log).toMatchObject([{ action: 'block', reason: 'Spam', actorId: desk.adminId }]);
    expect((await desk.api('/api/visitors/00000000-0000-4000-8000-000000000000/block', 'POST', { reason: 'x' })).status).toBe(404);
  });
  it('B3Networks: a block needs no reason, and with "close open conversations" off the ongoing chat stays open until it ends', async () => {
    expect(await desk.api('/api/settings/blacklist')).toMatchObject({ status: 200, body: { closeOpenConversations: true } }); // Easemob's default
    expect((await desk.api('/api/settings/blacklist', 'PUT', { closeOpenConversations: 'no' })).status).toBe(400);
    expect(await desk.api('/api/settings/blacklist', 'PUT', { closeOpenConversations: false })).toMatchObject({ status: 200, body: { closeOpenConversations: false } });
    try {
      const team = await desk.team();
      const agent = await desk.agent({ teams: [team] });
      const visitor = await desk.visitor({ team, name: 'Keeps talking' });
      await desk.assigned(visitor.conversation.id, agent.userId);
      expect(await desk.api(`/api/visitors/${visitor.visitorId}/block`, 'POST', {}, agent.token)).toMatchObject({ status: 200, body: { blocked: true, closed: 0 } });
      await settle(300);
      expect(await desk.row(visitor.conversation.id)).toMatchObject({ status: 'assigned' });
      const said = await http<any>(desk.stack.baseUrl, 'POST', `/api/conversations/${visitor.conversation.id}/messages`, { token: visitor.token, body: { clientId: randomUUID(), text: 'still here' } });
      expect(said.status).toBe(201);
      expect((await desk.api(`/api/visitors/${visitor.visitorId}/blacklist-log`)).body.log).toMatchObject([{ action: 'block', reason: null, actorId: agent.userId }]);
      expect((await desk.api(`/api/conversations/${visitor.conversation.id}/close`, 'POST', {}, agent.token)).status).toBe(200);
      await desk.status(visitor.conversation.id, 'ended');
      expect((await startAgain(visitor.token, team.channel)).status).toBe(403);
    } finally {
      await desk.api('/api/settings/blacklist', 'PUT', { closeOpenConversations: true });
    }
  });

  it('blocks by e-mail or phone: any visitor who gave it is refused, their open chat ends; compared loosely, listed, and lifted by an admin', async () => {
    const team = await desk.team();
    const agent = await desk.agent({ teams: [team] });
    const visitor = await desk.visitor({ team, name: 'Same person, new browser' });
    await desk.assigned(visitor.conversation.id, agent.userId);
    expect((await desk.api(`/api/visitors/${visitor.visitorId}/profile`, 'PATCH', { email: 'Troll@Example.com', phone: '+44 (20) 7946-0958' })).status).toBe(200);

    expect((await desk.api('/api/blocked-contacts', 'POST', { kind: 'email', value: 'troll@example.com' }, agent.token)).status).toBe(403);
    const bad = await desk.api('/api/blocked-contacts', 'POST', { kind: 'phone', value: 'call me' });
    expect(bad).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('not a phone number') } } });
    const before = (await desk.api('/api/blocked-contacts')).body.contacts.length;

    const byEmail = await desk.api('/api/blocked-contacts', 'POST', { kind: 'email', value: '  TROLL@example.COM ', reason: 'Same abuse, new browser' });
    expect(byEmail).toMatchObject({ status: 201, body: { contact: { kind: 'email', value: 'troll@example.com', reason: 'Same abuse, new browser', actorId: desk.adminId }, closed: 1 } });
    expect((await visitor.waitForBody('end')).closedBy).toBe('admin');
    await desk.status(visitor.conversation.id, 'ended');
    expect(await startAgain(visitor.token, team.channel)).toMatchObject({ status: 403, body: { error: { message: 'You cannot start a conversation: this visitor has been blocked' } } });
    expect((await desk.api('/api/blocked-contacts', 'POST', { kind: 'email', value: 'troll@EXAMPLE.com' })).status).toBe(409);

    const byPhone = await desk.api('/api/blocked-contacts', 'POST', { kind: 'phone', value: '+44.20.7946.0958' });
    expect(byPhone).toMatchObject({ status: 201, body: { contact: { value: '+442079460958', reason: null }, closed: 0 } });
    const listed = await desk.api('/api/blocked-contacts');
    expect(listed.body.contacts.length).toBe(before + 2);
    expect(listed.body.contacts[0]).toMatchObject({ kind: 'phone', value: '+442079460958' });

    expect((await desk.api(`/api/blocked-contacts/${byEmail.body.contact.id}`, 'DELETE')).status).toBe(200);
    expect((await startAgain(visitor.token, team.channel)).status).toBe(403); // the phone number is still blocked
    expect((await desk.api(`/api/blocked-contacts/${byPhone.body.contact.id}`, 'DELETE')).status).toBe(200);
    expect((await desk.api(`/api/blocked-contacts/${byPhone.body.contact.id}`, 'DELETE')).status).toBe(404);
    const back = await startAgain(visitor.token, team.channel);
    expect(back.status).toBe(200);
    expect(back.body.id).not.toBe(visitor.conversation.id);
  });
});
