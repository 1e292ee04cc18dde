import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { conversationReads } from '../../../db/schema.js';
import type { ReceiptEvent, TypingEvent } from '../../../domain/contracts/events.js';
import type { ChatMessage } from '../../../domain/messages.js';
import { emitAck, staffClient } from '../../helpers/clients.js';
import { settle, startDesk, type Desk } from '../routing/helpers.js';

/** Typing indicators both ways (only to the right rooms, previews only to staff when the desk enables them) and read receipts. */
describe('composer: typing indicators and read receipts', () => {
  let desk: Desk;
  beforeAll(async () => { desk = await startDesk({ routing: { serviceMode: 'automatic' } }); });
  afterAll(async () => { await desk?.close(); });

  /** Holder serves a visitor; an admin watches; an outsider agent and another visitor sit elsewhere. */
  async function scene() {
    const team = await desk.team();
    const holder = await desk.agent({ name: 'Alice Typist', teams: [team] });
    const visitor = await desk.visitor({ team, name: 'Vera' });
    const id = visitor.conversation.id;
    await desk.assigned(id, holder.userId);
    expect(await emitAck(holder.socket, 'conversation:watch', { conversationId: id })).toEqual({ ok: true });
    const admin = await staffClient(desk.stack.baseUrl, 'admin@parley.local');
    desk.clients.push(admin);
    expect(await emitAck(admin.socket, 'conversation:watch', { conversationId: id })).toEqual({ ok: true });
    const otherTeam = await desk.team();
    const outsider = await desk.agent({ name: 'Olga', teams: [otherTeam] });
    const otherVisitor = await desk.visitor({ team: otherTeam, name: 'Otto' });
    await desk.assigned(otherVisitor.conversation.id, outsider.userId);
    await emitAck(outsider.socket, 'conversation:watch', { conversationId: otherVisitor.conversation.id });
    return { holder, visitor, id, admin, outsider, otherVisitor };
  }
  const typingIn = (id: string, from: 'visitor' | 'agent') => (t: TypingEvent) => t.conversationId === id && t.from === from;
  const heard = (c: { seen: Array<{ event: string; payload: unknown }> }, event: string) => c.seen.filter((s) => s.event === event).map((s) => s.payload);

  it('the visitor\'s typing reaches the serving agent and watching staff only; the agent\'s reaches the visitor and staff, not the agent', async () => {
    const { holder, visitor, id, admin, outsider, otherVisitor } = await scene();
    expect(await emitAck(visitor.socket, 'visitor:typing', { typing: true })).toEqual({ ok: true, preview: false });
    const atHolder = await holder.waitFor<TypingEvent>('typing', typingIn(id, 'visitor'));
    expect(atHolder).toEqual({ conversationId: id, from: 'visitor', name: 'Vera', typing: true });
    await admin.waitFor<TypingEvent>('typing', typingIn(id, 'visitor'));

    expect(await emitAck(holder.socket, 'agent:typing', { conversationId: id, typing: true })).toEqual({ ok: true });
    expect(await visitor.waitFor<TypingEvent>('typing', typingIn(id, 'agent'))).toEqual({ conversationId: id, from: 'agent', name: 'Alice Typist', typing: true });
    await admin.waitFor<TypingEvent>('typing', typingIn(id, 'agent'));
    await emitAck(visitor.socket, 'visitor:typing', { typing: false });
    await holder.waitFor<TypingEvent>('typing', (t) => typingIn(id, 'visitor')(t) && !t.typing);

    await settle();
    expect(heard(visitor, 'typing').filter((t) => (t as TypingEvent).from === 'visitor')).toEqual([]); // never echoed to the visitor
    expect(heard(holder, 'typing').filter((t) => (t as TypingEvent).from === 'agent')).toEqual([]); // nor to the typing agent
    expect(heard(outsider, 'typing')).toEqual([]);
    expect(heard(otherVisitor, 'typing')).toEqual([]);

    // Only the serving agent types in a conversation; someone else's is refused and relays nothing.
    expect(await emitAck(outsider.socket, 'agent:typing', { conversationId: id, typing: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await emitAck(admin.socket, 'agent:typing', { conversationId: id, typing: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await settle();
    expect(heard(visitor, 'typing').filter((t) => (t as TypingEvent).from === 'agent')).toHaveLength(1);
  });

  it('a typing preview reaches staff only, and only while the desk enables it', async () => {
    const { holder, visitor, id, admin } = await scene();
    // Off (the default): the preview is dropped and the ack tells the client not to send it.
    expect(await emitAck(visitor.socket, 'visitor:typing', { typing: true, preview: 'my card number is' })).toEqual({ ok: true, preview: false });
    const off = await holder.waitFor<TypingEvent>('typing', typingIn(id, 'visitor'));
    expect(off).not.toHaveProperty('preview');

    expect((await desk.api('/api/settings/composer')).body).toEqual({ typingPreview: false });
    const agentToken = holder.token;
    expect((await desk.api('/api/settings/composer', 'PUT', { typingPreview: true }, agentToken)).status).toBe(403);
    expect((await desk.api('/api/settings/composer', 'PUT', { typingPreview: 'yes' })).status).toBe(400);
    expect((await desk.api('/api/settings/composer', 'PUT', { typingPreview: true })).body).toEqual({ typingPreview: true });
    try {
      expect(await emitAck(visitor.socket, 'visitor:typing', { typing: true, preview: 'Where is my parcel' })).toEqual({ ok: true, preview: true });
      expect(await holder.waitFor<TypingEvent>('typing', (t) => typingIn(id, 'visitor')(t) && t.preview !== undefined))
        .toEqual({ conversationId: id, from: 'visitor', name: 'Vera', typing: true, preview: 'Where is my parcel' });
      await admin.waitFor<TypingEvent>('typing', (t) => t.preview === 'Where is my parcel');
      // Bounded: longer than TYPING_PREVIEW_MAX is refused.
      expect(await emitAck(visitor.socket, 'visitor:typing', { typing: true, preview: 'x'.repeat(201) })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      await settle();
      expect(heard(visitor, 'typing').some((t) => (t as TypingEvent).preview !== undefined)).toBe(false);
    } finally {
      await desk.api('/api/settings/composer', 'PUT', { typingPreview: false });
    }
  });

  it('receipts move the ticks forward only, are clamped to sent messages, survive a reload, and a visitor cannot send them for another conversation', async () => {
    const { holder, visitor, id, otherVisitor } = await scene();
    const first = (await holder.send(id, 'First')).message as ChatMessage;
    const second = (await holder.send(id, 'Second')).message as ChatMessage;
    await visitor.waitFor<ChatMessage>('message', (m) => m.id === second.id);

    expect(await emitAck(visitor.socket, 'visitor:receipt', { conversationId: id, deliveredSeq: second.seq })).toEqual({ ok: true, deliveredSeq: second.seq, readSeq: 0 });
    expect(await holder.waitFor<ReceiptEvent>('receipt', (r) => r.conversationId === id)).toEqual({ conversationId: id, deliveredSeq: second.seq, readSeq: 0 });
    expect(await emitAck(visitor.socket, 'visitor:receipt', { conversationId: id, deliveredSeq: first.seq, readSeq: second.seq + 1000 }))
      .toEqual({ ok: true, deliveredSeq: second.seq, readSeq: second.seq }); // clamped to the newest message, never back
    await holder.waitFor<ReceiptEvent>('receipt', (r) => r.readSeq === second.seq);
    expect(heard(visitor, 'receipt')).toEqual([]); // staff only

    // Another visitor naming this conversation: not found, nothing stored, nothing relayed.
    expect(await emitAck(otherVisitor.socket, 'visitor:receipt', { conversationId: id, deliveredSeq: 0, readSeq: 0 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const rows = await desk.stack.database.db.select().from(conversationReads).where(eq(conversationReads.conversationId, id));
    expect(rows.map((r) => r.reader)).toEqual(['visitor']);

    // The agent's read position, for unread counts after a reload.
    expect(await emitAck(holder.socket, 'agent:read', { conversationId: id, readSeq: first.seq })).toEqual({ ok: true, readSeq: first.seq });
    expect(await emitAck(holder.socket, 'agent:read', { conversationId: id, readSeq: 0 })).toEqual({ ok: true, readSeq: first.seq });
    // A reload reads it all back over REST.
    const again = await desk.api(`/api/conversations/${id}/receipts`, 'GET', undefined, holder.token);
    expect(again).toEqual({ status: 200, body: { conversationId: id, visitorDeliveredSeq: second.seq, visitorReadSeq: second.seq, myReadSeq: first.seq } });
    expect((await desk.api(`/api/conversations/${id}/receipts`, 'GET', undefined, otherVisitor.token)).status).toBe(404);
    expect((await desk.api(`/api/conversations/${id}/receipts`, 'GET', undefined, visitor.token)).body).toMatchObject({ visitorReadSeq: second.seq, myReadSeq: 0 });
  });
});

describe('composer: typing is rate-limited on its own budget', () => {
  let desk: Desk;
  beforeAll(async () => { desk = await startDesk({ routing: { serviceMode: 'automatic' }, rateLimits: { signalsPer10s: 3, messagesPer10s: 5 } }); });
  afterAll(async () => { await desk?.close(); });

  it('refuses typing events over the budget, relays none of them, and leaves messages unaffected', async () => {
    const team = await desk.team();
    const holder = await desk.agent({ teams: [team] });
    const visitor = await desk.visitor({ team });
    const id = visitor.conversation.id;
    await desk.assigned(id, holder.userId);
    await emitAck(holder.socket, 'conversation:watch', { conversationId: id });
    const acks = [];
    for (let i = 0; i < 5; i++) acks.push(await emitAck(visitor.socket, 'visitor:typing', { typing: i % 2 === 0 }));
    expect(acks.slice(0, 3).every((a) => a.ok)).toBe(true);
    expect(acks.slice(3)).toEqual([0, 0].map(() => expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'rate_limited' }) })));
    await settle();
    expect(holder.seen.filter((s) => s.event === 'typing')).toHaveLength(3);
    expect(await visitor.send('still here')).toMatchObject({ ok: true });
  });
});
