import { and, desc, eq, inArray } from 'drizzle-orm';
import type { TransferContext } from '../domain/contracts/events.js';
import type { Db } from './client.js';
import { conversations, messages, transferNotes, visitors } from './schema.js';

/** How many of the latest chat messages a transfer request shows its target. */
export const TRANSFER_CONTEXT_MESSAGES = 5;

export async function saveTransferNote(db: Db, n: { transferId: string; conversationId: string; note: string }): Promise<void> {
  await db.insert(transferNotes).values(n).onConflictDoNothing();
}

/**
 * What the target of each transfer sees before accepting (issue 18): the holder's note, the visitor's name,
 * the last chat messages (text, not private notes), when the chat started and since when the visitor waits.
 */
export async function transferContexts(db: Db, requests: Array<{ transferId: string; conversationId: string }>): Promise<Map<string, TransferContext>> {
  const out = new Map<string, TransferContext>();
  if (requests.length === 0) return out;
  const ids = [...new Set(requests.map((r) => r.conversationId))];
  const [notes, convs] = await Promise.all([
    db.select().from(transferNotes).where(inArray(transferNotes.transferId, requests.map((r) => r.transferId))),
    db.select({ id: conversations.id, createdAt: conversations.createdAt, visitorName: visitors.displayName }).from(conversations)
      .innerJoin(visitors, eq(visitors.id, conversations.visitorId)).where(inArray(conversations.id, ids)),
  ]);
  const recent = new Map<string, TransferContext['lastMessages']>();
  const waiting = new Map<string, string | null>();
  await Promise.all(ids.map(async (id) => {
    const rows = await db.select().from(messages)
      .where(and(eq(messages.conversationId, id), eq(messages.staffOnly, false), inArray(messages.sender, ['visitor', 'agent'])))
      .orderBy(desc(messages.seq)).limit(50);
    const chat = rows.filter((m) => m.body.kind === 'text');
    recent.set(id, chat.slice(0, TRANSFER_CONTEXT_MESSAGES).reverse().map((m) => ({
      sender: m.sender as 'visitor' | 'agent', senderName: m.senderName, text: m.body.kind === 'text' ? m.body.text : '', createdAt: m.createdAt.toISOString(),
    })));
    // The oldest visitor message after the last agent message.
    let since: string | null = null;
    for (const m of chat) {
      if (m.sender === 'agent') break;
      since = m.createdAt.toISOString();
    }
    waiting.set(id, since);
  }));
  for (const r of requests) {
    const c = convs.find((x) => x.id === r.conversationId);
    if (!c) continue;
    out.set(r.transferId, {
      note: notes.find((n) => n.transferId === r.transferId)?.note ?? null,
      visitorName: c.visitorName,
      startedAt: c.createdAt.toISOString(),
      waitingSince: waiting.get(r.conversationId) ?? null,
      lastMessages: recent.get(r.conversationId) ?? [],
    });
  }
  return out;
}
