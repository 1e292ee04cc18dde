import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../domain/messages.js';
import { emitAck, staffClient, visitorClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';

describe('after a transfer the previous agent no longer receives the conversation', () => {
  let stack: Stack;
  beforeAll(async () => { stack = await startStack({ routing: { serviceMode: 'automatic', transferConfirmation: false } }); });
  afterAll(async () => { await stack?.stop(); });

  it('only the new agent gets the visitor\'s next messages, and the old one can no longer write', async () => {
    const alice = await staffClient(stack.baseUrl, 'alice@parley.local');
    await alice.setStatus('online');
    const visitor = await visitorClient(stack.baseUrl, 'Private');
    const menu = await visitor.waitForBody('menu');
    await visitor.send('Talk to an agent', menu.items.find((i) => i.content === 'Talk to an agent')!.id);
    await visitor.waitForBody('notice', (b) => b.text.includes('Alice'));
    // as the workbench does when agent:state lists a new conversation
    expect(await emitAck(alice.socket, 'conversation:watch', { conversationId: visitor.conversation.id })).toEqual({ ok: true });
    await visitor.send('Hello Alice');
    await alice.waitFor<ChatMessage>('message', (m) => m.body.kind === 'text' && m.body.text === 'Hello Alice');

    const bob = await staffClient(stack.baseUrl, 'bob@parley.local');
    await bob.setStatus('busy');
    const moved = await emitAck(alice.socket, 'agent:transfer', { conversationId: visitor.conversation.id, toAgentId: bob.userId });
    expect(moved).toMatchObject({ ok: true, outcome: 'moved', toAgentId: bob.userId });
    await visitor.waitForBody('transfer', (b) => b.toAgentName === 'Bob');
    await emitAck(bob.socket, 'conversation:watch', { conversationId: visitor.conversation.id });

    await visitor.send('This is for Bob only');
    await bob.waitFor<ChatMessage>('message', (m) => m.body.kind === 'text' && m.body.text === 'This is for Bob only');
    await visitor.send('Second secret');
    await bob.waitFor<ChatMessage>('message', (m) => m.body.kind === 'text' && m.body.text === 'Second secret');
    expect(alice.messages().map((m) => ('text' in m.body ? m.body.text : ''))).not.toContain('Second secret');

    const denied = await alice.send(visitor.conversation.id, 'Still here?');
    expect(denied).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    for (const c of [alice, bob, visitor]) c.close();
  });
});
