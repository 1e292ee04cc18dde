import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../domain/messages.js';
import { emitAck } from '../../helpers/clients.js';
import { settle, startDesk, type Desk } from './helpers.js';

const text = (m: ChatMessage) => (m.body.kind === 'text' ? m.body.text : '');

/**
 * Behind a load balancer the visitor and the agent are often on different API processes: every chat
 * message crosses through the PostgreSQL adapter, in order, and reaches nobody outside the conversation.
 */
describe('chat across two API processes', () => {
  let desk: Desk;
  beforeAll(async () => {
    desk = await startDesk({ apiProcesses: 2, routing: { serviceMode: 'automatic', transferConfirmation: false } });
  });
  afterAll(async () => { await desk?.close(); });

  it('delivers each side\'s messages to the other process in order, and to no other conversation', async () => {
    const team = await desk.team();
    const agent = await desk.agent({ teams: [team], api: 1, max: 2 });
    const visitor = await desk.visitor({ team, api: 0 });
    const bystander = await desk.visitor({ team, api: 1 });
    for (const v of [visitor, bystander]) await desk.assigned(v.conversation.id, agent.userId);
    expect(await emitAck(agent.socket, 'conversation:watch', { conversationId: visitor.conversation.id })).toEqual({ ok: true });

    const sent = Array.from({ length: 12 }, (_, i) => `visitor line ${i}`);
    for (const line of sent) expect(await visitor.send(line)).toMatchObject({ ok: true });
    await agent.waitFor<ChatMessage>('message', (m) => text(m) === sent.at(-1));
    const atAgent = agent.messages().filter((m) => m.conversationId === visitor.conversation.id && m.sender === 'visitor').map(text);
    expect(atAgent).toEqual(sent);

    expect(await agent.send(visitor.conversation.id, 'agent reply')).toMatchObject({ ok: true });
    await visitor.waitFor<ChatMessage>('message', (m) => text(m) === 'agent reply');

    await settle();
    const leaked = bystander.messages().filter((m) => sent.includes(text(m)) || text(m) === 'agent reply');
    expect(leaked).toEqual([]);
  });
});
