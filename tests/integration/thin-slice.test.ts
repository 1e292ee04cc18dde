import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { messages, ratings } from '../../db/schema.js';
import { stateQuery } from '../../domain/contracts/conversation-workflow.js';
import { http, staffClient, visitorClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';

describe('thin slice: visitor → menu → queue → agent → close → rating', () => {
  let stack: Stack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.stop(); });

  it('runs a whole conversation over HTTP and Socket.IO with everything stored', async () => {
    const visitor = await visitorClient(stack.baseUrl, 'Grace');
    expect(visitor.conversation.workflowId).toBe(`conversation-${visitor.conversation.id}`);
    const welcome = await visitor.waitForBody('text');
    expect(welcome.text).toContain('Grace');
    const menu = await visitor.waitForBody('menu');
    const talk = menu.items.find((i) => i.content === 'Talk to an agent')!;

    const sent = await visitor.send(talk.content, talk.id);
    expect(sent.ok).toBe(true);
    const queued = await visitor.waitForBody('queue');
    expect(queued.position).toBe(1);
    expect(queued.text).toContain('1');

    // an agent coming online pulls the waiting conversation
    const agent = await staffClient(stack.baseUrl, 'alice@parley.local');
    const online = await agent.setStatus('online');
    expect(online).toMatchObject({ ok: true, state: { status: 'online' } });

    const offer = await agent.waitFor<{ conversationId: string; visitorName: string }>('offer', (o) => o.conversationId === visitor.conversation.id);
    expect(offer.visitorName).toBe('Grace');
    expect(await agent.accept(visitor.conversation.id)).toEqual({ ok: true });
    const connected = await visitor.waitForBody('notice', (b) => b.text.includes('Alice'));
    expect(connected.text).toContain('Alice');

    // live chat both ways
    const fromAgent = await agent.send(visitor.conversation.id, 'Hello Grace, how can I help?');
    expect(fromAgent.ok).toBe(true);
    await visitor.waitFor('message', (m: { body: { kind: string; text?: string } }) => m.body.text === 'Hello Grace, how can I help?');
    await visitor.send('My order is late');
    await agent.waitFor('message', (m: { body: { text?: string } }) => m.body.text === 'My order is late');

    expect(await agent.closeConversation(visitor.conversation.id)).toEqual({ ok: true });
    const end = await visitor.waitForBody('end');
    expect(end.closedBy).toBe('agent');
    const invite = await visitor.waitForBody('rating-invite');
    expect(new Date(invite.validUntil).getTime()).toBeGreaterThan(Date.now());

    expect(await visitor.rate(5, 'Quick and kind')).toEqual({ ok: true });
    await visitor.waitForBody('rating-result');

    const stored = await stack.database.db.select().from(ratings).where(eq(ratings.conversationId, visitor.conversation.id));
    expect(stored).toMatchObject([{ score: 5, comment: 'Quick and kind', counted: true }]);
    const transcript = await stack.database.db.select().from(messages).where(eq(messages.conversationId, visitor.conversation.id));
    const texts = transcript.map((m) => ('text' in m.body ? m.body.text : m.body.kind));
    expect(texts).toContain('My order is late');
    expect(texts).toContain('Hello Grace, how can I help?');

    // the conversation is visible as a workflow with its status search attribute
    const handle = stack.temporal.workflow.getHandle(visitor.conversation.workflowId);
    const state = await handle.query(stateQuery);
    expect(state.status).toBe('rating');
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.getAll().find((p) => p.key.name === 'ParleyStatus')?.value).toBe('rating');

    visitor.close();
    agent.close();
  });

  it('resumes the same conversation with its history after a reload', async () => {
    const visitor = await visitorClient(stack.baseUrl, 'Reloader');
    await visitor.waitForBody('menu');
    visitor.close();
    const again = await http<{ id: string }>(stack.baseUrl, 'POST', '/api/visitor/conversations', { token: visitor.token, body: {} });
    expect(again.body.id).toBe(visitor.conversation.id);
    const history = await http<{ messages: Array<{ body: { kind: string } }> }>(stack.baseUrl, 'GET', `/api/conversations/${visitor.conversation.id}/messages`, { token: visitor.token });
    expect(history.body.messages.map((m) => m.body.kind)).toEqual(['text', 'menu']);
  });

  it('answers health, OpenAPI and bad input clearly', async () => {
    expect(await http(stack.baseUrl, 'GET', '/api/health')).toEqual({ status: 200, body: { temporal: 'ok', database: 'ok' } });
    const doc = await http<{ openapi: string; paths: Record<string, unknown> }>(stack.baseUrl, 'GET', '/api/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/api/conversations/{id}/messages');

    const badJson = await http<{ error: { message: string } }>(stack.baseUrl, 'POST', '/api/auth/login', { raw: '{"email":' });
    expect(badJson.status).toBe(400);
    const badField = await http<{ error: { field: string } }>(stack.baseUrl, 'POST', '/api/auth/login', { body: { email: 'nope', password: 'x' } });
    expect(badField).toMatchObject({ status: 400, body: { error: { field: 'email' } } });
    const visitor = await visitorClient(stack.baseUrl);
    const unknown = await http(stack.baseUrl, 'GET', '/api/conversations/00000000-0000-4000-8000-000000000000', { token: visitor.token });
    expect(unknown.status).toBe(404);
    const other = await visitorClient(stack.baseUrl);
    const foreign = await http(stack.baseUrl, 'GET', `/api/conversations/${visitor.conversation.id}`, { token: other.token });
    expect(foreign.status).toBe(404);
    expect((await http(stack.baseUrl, 'GET', '/api/conversations')).status).toBe(401);
    expect((await http(stack.baseUrl, 'GET', '/api/conversations', { token: visitor.token })).status).toBe(403);
    visitor.close();
    other.close();
  });
});
