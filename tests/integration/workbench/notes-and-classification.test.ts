import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatActivities } from '../../../activities/chat.js';
import type { ActivityDeps } from '../../../activities/deps.js';
import type { TransferRequestEvent } from '../../../domain/contracts/events.js';
import type { ChatMessage } from '../../../domain/messages.js';
import type { NoteMentionEvent } from '../../../domain/notes.js';
import { CLOSE_REFUSAL } from '../../../api/services/classification.js';
import { emitAck, staffClient, type StaffClient } from '../../helpers/clients.js';
import { act, addFlow, handoffFlow, settle, startDesk, type Agent, type Desk, type Team } from '../routing/helpers.js';

/**
 * Issue 18, working together and classifying: private notes never reach the visitor (socket, REST, after a
 * reconnect, chat timers), mentions notify only the mentioned agent and let them read, an admin whispers,
 * a transfer's note reaches its target only, the visitor hears the flow's transfer text, tags and call
 * reasons are checked, and the desk's closing rules hold on the close path itself.
 */
describe('workbench: notes, mentions, whisper, transfer note, classification, closing rules', () => {
  let desk: Desk;
  let team: Team;
  let nora: Agent;
  let omar: Agent;
  let pia: Agent;
  let admin: StaffClient;
  beforeAll(async () => {
    desk = await startDesk({ routing: { serviceMode: 'automatic', transferConfirmation: true, transferTimeoutSec: 60 } });
    team = await desk.team();
    // The team's flow says the transfer in its own words (flow settings, issue 18).
    const channel = `${team.channel}-x`;
    const flow = handoffFlow(team.id);
    await addFlow(desk.stack, channel, { ...flow, settings: { ...flow.settings, transferText: 'Now ${agentName} takes care of you, ${visitorName}.' } });
    team.channel = channel;
    nora = await desk.agent({ name: 'Nora', teams: [team], max: 10 });
    omar = await desk.agent({ name: 'Omar', teams: [team], online: false });
    pia = await desk.agent({ name: 'Pia', teams: [team], online: false });
    admin = await staffClient(desk.stack.baseUrl, 'admin@parley.local');
    desk.clients.push(admin);
  }, 120_000);
  afterAll(async () => { await desk?.close(); });

  async function served(name = 'Tess') {
    const visitor = await desk.visitor({ team, name });
    await desk.assigned(visitor.conversation.id, nora.userId);
    expect(await act.watch(nora, visitor.conversation.id)).toMatchObject({ ok: true }); // as the workbench does
    return { visitor, id: visitor.conversation.id };
  }
  const note = (who: StaffClient, conversationId: string, text: string) => emitAck(who.socket, 'agent:note', { conversationId, clientId: randomUUID(), text });
  const transcript = async (id: string, token: string) => (await desk.api(`/api/conversations/${id}/messages`, 'GET', undefined, token)).body as { messages: ChatMessage[] };
  const isNote = (m: ChatMessage) => m.body.kind === 'note';

  it('a note reaches staff only: never the visitor\'s socket, REST transcript or a reconnected socket, and not the chat timers', async () => {
    const { visitor, id } = await served();
    expect(await visitor.send('hello, I need a refund')).toMatchObject({ ok: true });
    await nora.waitFor<ChatMessage>('message', (m) => m.body.kind === 'text' && m.sender === 'visitor');
    const timers = chatActivities({ db: desk.stack.database.db } as unknown as ActivityDeps);
    const before = await timers.lastChatMessages({ conversationId: id, agentId: nora.userId });

    const ack = await note(nora, id, 'Secret: customer is on the fraud watch list');
    expect(await timers.lastChatMessages({ conversationId: id, agentId: nora.userId })).toEqual(before);
    expect(ack).toMatchObject({ ok: true, message: { sender: 'agent', senderName: 'Nora', body: { kind: 'note', text: 'Secret: customer is on the fraud watch list', whisper: false } } });
    await nora.waitFor<ChatMessage>('message', (m) => m.id === ack.message.id); // the holder's own socket hears it (staff room)
    // A retry with the same clientId returns the same note.
    const retry = await emitAck(nora.socket, 'agent:note', { conversationId: id, clientId: ack.message.clientId.replace(/^note:/, ''), text: 'again' });
    expect(retry.message.id).toBe(ack.message.id);

    await settle(500);
    expect(visitor.messages().filter(isNote)).toEqual([]);
    expect(JSON.stringify(visitor.messages())).not.toContain('fraud');
    expect((await transcript(id, visitor.token)).messages.filter(isNote)).toEqual([]);
    expect(JSON.stringify(await transcript(id, visitor.token))).not.toContain('fraud');
    // After a reconnect the visitor's socket rejoins its conversation; a new note still does not reach it.
    visitor.socket.disconnect();
    await new Promise<void>((resolve) => { visitor.socket.once('connect', () => resolve()); visitor.socket.connect(); });
    await visitor.loadHistory(desk.stack.baseUrl, visitor.token, id);
    const later = await note(nora, id, 'Second secret after the reconnect');
    expect(await nora.send(id, 'Still here?')).toMatchObject({ ok: true });
    await visitor.waitForBody('text', (b) => b.text === 'Still here?'); // the socket is live again…
    await settle(300);
    expect(visitor.messages().filter(isNote)).toEqual([]); // …and heard no note
    expect(JSON.stringify(visitor.seen)).not.toContain('secret');
    // The staff transcript has it, in order.
    expect((await transcript(id, nora.token)).messages.filter(isNote).map((m) => m.id)).toEqual([ack.message.id, later.message.id]);
    // The chat timers see the visitor's and the agent's chat only: the notes reset nothing.
    const after = await timers.lastChatMessages({ conversationId: id, agentId: nora.userId });
    expect(after.visitorAt).toBe(before.visitorAt);
    const lastAgentText = (await transcript(id, nora.token)).messages.filter((m) => m.body.kind === 'text' && m.sender === 'agent').at(-1)!;
    expect(after.agentAt).toBe(Date.parse(lastAgentText.createdAt));
    // A visitor cannot write a note on either path.
    expect(await emitAck(visitor.socket, 'agent:note', { conversationId: id, clientId: randomUUID(), text: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await desk.api(`/api/conversations/${id}/notes`, 'POST', { clientId: randomUUID(), text: 'x' }, visitor.token)).status).toBe(403);
  });

  it('@mention notifies only the mentioned agent, who may then read (not act on) the conversation', async () => {
    const { visitor, id } = await served();
    expect((await desk.api(`/api/conversations/${id}/messages`, 'GET', undefined, omar.token)).status).toBe(403);

    const ack = await note(nora, id, 'Can you check the invoice, @omar? Thanks');
    expect(ack.message.body).toMatchObject({ mentions: [{ id: omar.userId, name: 'Omar' }] });
    const mention = await omar.waitFor<NoteMentionEvent>('note:mention', (m) => m.conversationId === id);
    expect(mention).toMatchObject({ messageId: ack.message.id, authorName: 'Nora', visitorName: 'Tess', excerpt: 'Can you check the invoice, @omar? Thanks' });
    await settle(400);
    for (const other of [pia, nora]) expect(other.seen.some((s) => s.event === 'note:mention')).toBe(false);
    expect(visitor.seen.some((s) => s.event === 'note:mention')).toBe(false);
    expect(pia.messages().some((m) => m.conversationId === id)).toBe(false);

    // Omar reads: the conversation, its transcript with the note, its live messages; the list of his mentions.
    expect((await desk.api(`/api/conversations/${id}`, 'GET', undefined, omar.token)).status).toBe(200);
    expect((await transcript(id, omar.token)).messages.filter(isNote).map((m) => m.id)).toContain(ack.message.id);
    expect(await act.watch(omar, id)).toMatchObject({ ok: true });
    expect((await desk.api('/api/mentions', 'GET', undefined, omar.token)).body.mentions[0]).toMatchObject({ conversationId: id, messageId: ack.message.id });
    // …but does not act on it.
    expect(await omar.send(id, 'hi')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await note(omar, id, 'me too')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await omar.closeConversation(id)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await emitAck(omar.socket, 'conversation:classify', { conversationId: id, remarks: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Pia, not mentioned, still reads nothing.
    expect((await desk.api(`/api/conversations/${id}/messages`, 'GET', undefined, pia.token)).status).toBe(403);
    expect(await act.watch(pia, id)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('an admin watches a live conversation and whispers to its agent; the visitor never hears it', async () => {
    const { visitor, id } = await served();
    expect(await act.watch(admin, id)).toMatchObject({ ok: true });
    expect(await visitor.send('are you there?')).toMatchObject({ ok: true });
    await admin.waitFor<ChatMessage>('message', (m) => m.conversationId === id && m.body.kind === 'text');
    const whisper = await note(admin, id, 'Offer the 10% voucher');
    expect(whisper).toMatchObject({ ok: true, message: { body: { kind: 'note', whisper: true } } });
    await nora.waitFor<ChatMessage>('message', (m) => m.id === whisper.message.id);
    await settle(400);
    expect(visitor.messages().filter(isNote)).toEqual([]);
    expect(pia.messages().some((m) => m.id === whisper.message.id)).toBe(false);
    // An agent who does not hold it cannot whisper.
    expect(await note(pia, id, 'psst')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a transfer\'s note, the visitor\'s name, the last messages and the wait reach the target only; the visitor hears the flow\'s text', async () => {
    const { visitor, id } = await served('Uma');
    await omar.setStatus('online');
    expect(await nora.send(id, 'Let me look')).toMatchObject({ ok: true });
    expect(await visitor.send('My order 1234 never came')).toMatchObject({ ok: true });
    const asked = await emitAck(nora.socket, 'agent:transfer', { conversationId: id, toAgentId: omar.userId, note: 'VIP, wants a refund for order 1234' });
    expect(asked).toMatchObject({ ok: true, outcome: 'pending' });
    const request = await omar.waitFor<TransferRequestEvent>('transfer:request', (t) => t.conversationId === id);
    expect(request.context).toMatchObject({ note: 'VIP, wants a refund for order 1234', visitorName: 'Uma', waitingSince: expect.any(String), startedAt: expect.any(String) });
    expect(request.context!.lastMessages.map((m) => [m.sender, m.text])).toEqual(expect.arrayContaining([['agent', 'Let me look'], ['visitor', 'My order 1234 never came']]));
    expect(request.context!.lastMessages.at(-1)).toMatchObject({ sender: 'visitor', text: 'My order 1234 never came' });
    // On reconnect the pending request comes again, with its context.
    const omarAgain = await staffClient(desk.stack.baseUrl, omar.email);
    desk.clients.push(omarAgain);
    expect((await omarAgain.waitFor<TransferRequestEvent>('transfer:request', (t) => t.conversationId === id)).context?.note).toBe('VIP, wants a refund for order 1234');
    omarAgain.close();
    await settle(300);
    expect(JSON.stringify(visitor.seen)).not.toContain('wants a refund');
    expect(JSON.stringify(pia.seen)).not.toContain('wants a refund');

    expect(await act.answer(omar, asked.transferId, true)).toMatchObject({ ok: true, outcome: 'accepted' });
    const told = await visitor.waitForBody('transfer');
    expect(told).toEqual({ kind: 'transfer', text: 'Now Omar takes care of you, Uma.', toAgentName: 'Omar' });
    expect(JSON.stringify((await transcript(id, visitor.token)).messages)).not.toContain('wants a refund');
    await desk.assigned(id, omar.userId);
    await omar.setStatus('offline');
  });

  it('tags and call reasons: admin-managed, validated, AA label colours; agents and visitors cannot manage them', async () => {
    const name = `Refund ${randomUUID().slice(0, 4)}`;
    const created = await desk.api('/api/tags', 'POST', { name, colour: '#FFCC00' });
    expect(created).toMatchObject({ status: 201, body: { name, colour: '#ffcc00', labelColour: '#000000', archived: false } });
    expect((await desk.api('/api/tags', 'POST', { name: 'Dark', colour: '#1d3557' })).body).toMatchObject({ labelColour: '#ffffff' });
    expect(await desk.api('/api/tags', 'POST', { name: name.toUpperCase(), colour: '#000000' })).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(await desk.api('/api/tags', 'POST', { name: 'x', colour: 'red' })).toMatchObject({ status: 400, body: { error: { field: 'colour' } } });
    expect(await desk.api('/api/tags', 'POST', { name: '   ', colour: '#000000' })).toMatchObject({ status: 400, body: { error: { field: 'name' } } });
    expect((await desk.api('/api/tags', 'POST', { name: 'Mine', colour: '#000000' }, nora.token)).status).toBe(403);
    expect((await desk.api('/api/tags', 'GET', undefined, nora.token)).body.tags.map((t: { name: string }) => t.name)).toContain(name);
    const reason = await desk.api('/api/call-reasons', 'POST', { name: `Billing ${randomUUID().slice(0, 4)}` });
    expect(reason.status).toBe(201);
    expect((await desk.api('/api/call-reasons', 'POST', { name: 'x' }, nora.token)).status).toBe(403);
    // Archived: no longer listed (nor settable), still on conversations that have it.
    const archived = await desk.api(`/api/tags/${created.body.id}`, 'DELETE');
    expect(archived.body).toMatchObject({ archived: true });
    expect((await desk.api('/api/tags')).body.tags.map((t: { id: string }) => t.id)).not.toContain(created.body.id);
    expect((await desk.api(`/api/tags/${created.body.id}`, 'PATCH', { archived: false })).body).toMatchObject({ archived: false });
  });

  it('the desk requires a tag and a call reason before staff close: refused on the socket and REST (nothing changes), allowed once classified', async () => {
    const { visitor, id } = await served('Vic');
    const tag = (await desk.api('/api/tags', 'POST', { name: `标签 ${randomUUID().slice(0, 4)}`, colour: '#2a9d8f' })).body;
    const reason = (await desk.api('/api/call-reasons', 'POST', { name: `Delivery ${randomUUID().slice(0, 4)}` })).body;
    expect((await desk.api('/api/settings/closing', 'PUT', { tagRequired: true }, nora.token)).status).toBe(403);
    expect((await desk.api('/api/settings/closing', 'PUT', { tagRequired: true, callReasonRequired: true })).body).toEqual({ tagRequired: true, callReasonRequired: true });
    expect((await desk.api('/api/settings/closing', 'GET', undefined, nora.token)).body).toEqual({ tagRequired: true, callReasonRequired: true });
    try {
      expect(await nora.closeConversation(id)).toEqual({ ok: false, error: { code: 'conflict', message: CLOSE_REFUSAL.both, field: 'tagIds' } });
      expect(await desk.api(`/api/conversations/${id}/close`, 'POST', {}, nora.token)).toMatchObject({ status: 409, body: { error: { message: CLOSE_REFUSAL.both } } });
      expect((await desk.row(id)).status).toBe('assigned');

      // Bad classifications are refused and change nothing.
      const classify = (who: StaffClient, change: object) => emitAck(who.socket, 'conversation:classify', { conversationId: id, ...change });
      expect(await classify(nora, { handledNumber: 'x'.repeat(51) })).toMatchObject({ ok: false, error: { code: 'bad_request', field: 'handledNumber' } });
      expect(await classify(nora, { tagIds: [randomUUID()] })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'tagIds' } });
      expect(await classify(nora, { callReasonId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'callReasonId' } });
      expect(await classify(pia, { tagIds: [tag.id] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect((await desk.api(`/api/conversations/${id}/classification`, 'GET', undefined, visitor.token)).status).toBe(403);
      expect((await desk.api(`/api/conversations/${id}/classification`, 'GET', undefined, pia.token)).status).toBe(403);
      expect((await desk.api(`/api/conversations/${id}/classification`, 'GET', undefined, nora.token)).body).toMatchObject({ tags: [], callReasonId: null, remarks: null, updatedAt: null });

      // The tag alone: still refused, for the call reason.
      expect(await classify(nora, { tagIds: [tag.id] })).toMatchObject({ ok: true, classification: { tags: [{ id: tag.id, name: tag.name }] } });
      expect(await nora.closeConversation(id)).toMatchObject({ ok: false, error: { message: CLOSE_REFUSAL.callReason } });
      const done = await classify(nora, { callReasonId: reason.id, remarks: 'Parcel re-sent', handledNumber: 'TCK-42' });
      expect(done).toMatchObject({ ok: true, classification: { callReasonId: reason.id, remarks: 'Parcel re-sent', handledNumber: 'TCK-42', tags: [{ id: tag.id }] } });
      expect(await admin.waitFor('conversation:classified', (c: { conversationId: string }) => c.conversationId === id, 100).catch(() => null)).toBeNull(); // not watching
      expect(await nora.closeConversation(id)).toMatchObject({ ok: true });
      await desk.status(id, 'ended');
      // After the chat, the agent who served it may still change the tags.
      expect(await classify(nora, { tagIds: [] })).toMatchObject({ ok: true, classification: { tags: [] } });
      // A visitor's close is never held up by the rules.
      const other = await served('Wes');
      expect(await emitAck(other.visitor.socket, 'visitor:close', {})).toMatchObject({ ok: true });
    } finally {
      await desk.api('/api/settings/closing', 'PUT', { tagRequired: false, callReasonRequired: false });
    }
  });
});
