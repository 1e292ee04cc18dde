import { rooms } from '../../domain/contracts/events.js';
import { missingForClose, type Classification, type ClassificationInput } from '../../domain/classification.js';
import {
  closeFacts, findCallReason, findTags, loadClassification, loadClosingSettings, saveClassification, servedBy,
} from '../../db/classification.js';
import { isMentionedIn } from '../../db/notes.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import type { Db } from '../../db/client.js';
import { forbidden, HttpError } from '../http/errors.js';
import type { ConversationService } from './conversations.js';

/** Texts of a refused close (the workbench shows them as they are). */
export const CLOSE_REFUSAL = {
  tag: 'Add a tag before closing this conversation: the desk requires one.',
  callReason: 'Choose a call reason before closing this conversation: the desk requires one.',
  both: 'Add a tag and choose a call reason before closing this conversation: the desk requires both.',
} as const;

/**
 * Classifying a conversation (tags, call reason, remarks, handled number). Agents classify conversations
 * they hold or served, during and after the chat; admins any. A mentioned agent may read it, not change it.
 */
export function classificationService(ctx: ApiContext, conversations: ConversationService) {
  const { db } = ctx.database;

  async function mayChange(principal: Principal, conversationId: string): Promise<boolean> {
    if (principal.kind !== 'staff') return false;
    if (principal.role === 'admin') return true;
    return servedBy(db, principal.userId, conversationId);
  }

  /** 404 for an unknown conversation and for a visitor; 403 for an agent who may not see it. */
  async function checkRead(principal: Principal, conversationId: string) {
    if (principal.kind !== 'staff') throw forbidden('Only staff can see how a conversation is classified');
    await conversations.get(conversationId);
    if (await mayChange(principal, conversationId) || await isMentionedIn(db, principal.userId, conversationId)) return;
    throw forbidden('This conversation is not yours to see');
  }

  return {
    async get(principal: Principal, conversationId: string): Promise<Classification> {
      await checkRead(principal, conversationId);
      return loadClassification(db, conversationId);
    },

    /** Checks every id first: a bad one changes nothing. Archived tags and reasons stay if already set, and cannot be newly set. */
    async set(principal: Principal, conversationId: string, input: ClassificationInput): Promise<Classification> {
      if (principal.kind !== 'staff') throw forbidden('Only staff can classify a conversation');
      await conversations.get(conversationId);
      if (!(await mayChange(principal, conversationId))) throw forbidden('Only an agent who served this conversation, or an admin, can classify it');
      const before = await loadClassification(db, conversationId);
      if (input.callReasonId && input.callReasonId !== before.callReasonId) {
        const reason = await findCallReason(db, input.callReasonId);
        if (!reason || reason.archived) throw new HttpError(404, 'not_found', 'Call reason not found', 'callReasonId');
      }
      if (input.tagIds) {
        const wanted = [...new Set(input.tagIds)];
        const found = await findTags(db, wanted);
        const had = new Set(before.tags.map((t) => t.id));
        const bad = wanted.find((id) => { const t = found.find((f) => f.id === id); return !t || (t.archived && !had.has(id)); });
        if (bad) throw new HttpError(404, 'not_found', `Tag ${bad} not found`, 'tagIds');
      }
      await saveClassification(db, conversationId, principal.userId, input);
      const after = await loadClassification(db, conversationId);
      ctx.io.to(rooms.conversationStaff(conversationId)).emit('conversation:classified', after);
      return after;
    },
  };
}
export type ClassificationService = ReturnType<typeof classificationService>;

/**
 * Refuses a staff (agent or admin) close the desk's closing rules do not allow yet: 409 with a clear text,
 * nothing changes. A visitor's close, timers and the flow are never held up by them.
 */
export async function assertClosable(db: Db, principal: Principal, conversationId: string): Promise<void> {
  if (principal.kind !== 'staff') return;
  const missing = missingForClose(await loadClosingSettings(db), await closeFacts(db, conversationId));
  if (missing.length === 0) return;
  const text = missing.length === 2 ? CLOSE_REFUSAL.both : CLOSE_REFUSAL[missing[0]];
  throw new HttpError(409, 'conflict', text, missing[0] === 'tag' ? 'tagIds' : 'callReasonId');
}
