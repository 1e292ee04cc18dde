import { describe, expect, it } from 'vitest';
import { mergeMessages, previewText, prunePending, type PendingMessage } from '../../../web/common/messageUtils.js';
import { uuid } from '../../../web/common/uuid.js';
import type { ChatMessage, MessageBody } from '../../../domain/messages.js';

const CONV = '6f1c1f44-5b7c-4b8e-9d55-0d6c1a1e0001';

function msg(id: string, seq: number, body: MessageBody = { kind: 'text', text: id }, clientId: string | null = null): ChatMessage {
  return { id, conversationId: CONV, seq, sender: 'bot', senderId: null, senderName: null, body, clientId, createdAt: new Date(seq * 1000).toISOString() };
}

describe('mergeMessages', () => {
  it('orders by seq whatever the arrival order', () => {
    const out = mergeMessages([msg('c', 3)], [msg('a', 1), msg('d', 4), msg('b', 2)]);
    expect(out.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('keeps one copy of a message that arrives both in the history and live', () => {
    const live = [msg('a', 1), msg('b', 2)];
    const history = [msg('a', 1), msg('b', 2), msg('c', 3)];
    const out = mergeMessages(mergeMessages([], live), history);
    expect(out.map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });

  it('lets a later copy replace an earlier one with the same id', () => {
    const out = mergeMessages([msg('a', 1, { kind: 'text', text: 'old' })], [msg('a', 1, { kind: 'text', text: 'new' })]);
    expect(out).toHaveLength(1);
    expect(out[0].body).toEqual({ kind: 'text', text: 'new' });
  });

  it('does not mutate its inputs', () => {
    const existing = [msg('b', 2)];
    mergeMessages(existing, [msg('a', 1)]);
    expect(existing.map((m) => m.id)).toEqual(['b']);
  });
});

describe('prunePending', () => {
  it('drops pending sends the server has confirmed by clientId', () => {
    const pending: PendingMessage[] = [
      { clientId: 'x', conversationId: CONV, text: 'hi', state: 'sending', createdAt: '' },
      { clientId: 'y', conversationId: CONV, text: 'there', state: 'failed', createdAt: '' },
    ];
    const out = prunePending(pending, [msg('m1', 7, { kind: 'text', text: 'hi' }, 'x')]);
    expect(out.map((p) => p.clientId)).toEqual(['y']);
  });
});

describe('previewText', () => {
  it('summarises every kind as plain text', () => {
    expect(previewText({ kind: 'menu', nodeId: 'n', header: 'Pick one', items: [] })).toBe('Pick one');
    expect(previewText({ kind: 'form', nodeId: 'n', prompt: 'Your email?', formType: 'text' })).toBe('Your email?');
    expect(previewText({ kind: 'end', text: 'Bye', closedBy: 'agent' })).toBe('Bye');
  });
});

describe('uuid', () => {
  it('returns RFC 4122 version 4 ids', () => {
    const ids = new Set(Array.from({ length: 50 }, () => uuid()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
