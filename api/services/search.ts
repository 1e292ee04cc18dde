import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { conversationRecord, searchCsvRecords, searchPage } from '../../db/search.js';
import type { decodeCursor } from '../../db/history.js';
import type { ConversationRecord, SearchPage, Transcript } from '../../domain/contracts/rest.js';
import { SEARCH_CSV_COLUMNS, type SearchFilters } from '../../domain/search.js';
import { transcriptText, type TranscriptLocale } from '../../domain/transcript.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import { forbidden, notFound } from '../http/errors.js';
import { agentServed, agentServesVisitor, tagsOf } from '../../db/history.js';
import { conversationQueries, listMessages, type ConversationQueries } from '../../db/queries.js';

/**
 * Issue 21: the admin search over every conversation, its CSV (streamed), and what staff export or see
 * of one conversation (its record: ratings, transfers, timeline; its transcript as text or JSON). One
 * conversation follows the transcript rule (api/services/history.ts): admins any, agents one they served.
 */
export function searchService(ctx: ApiContext) {
  const { db } = ctx.database;
  let chat: ConversationQueries | null = null; // prepared on first use, not while the routes are built

  /** The conversation, when the caller may read it (the transcript rule). */
  const readable = async (principal: Principal | null, conversationId: string) => {
    if (principal?.kind !== 'staff') throw forbidden();
    const conversation = await (chat ??= conversationQueries(db)).summary(conversationId);
    if (!conversation) throw notFound('Conversation');
    if (principal.role !== 'admin'
      && !(await agentServed(db, principal.userId, conversationId))
      && !(await agentServesVisitor(db, principal.userId, conversation.visitorId))) {
      throw forbidden('You did not serve this conversation and are not serving its visitor');
    }
    return conversation;
  };

  const adminOnly = (principal: Principal | null) => {
    if (principal?.kind !== 'staff' || principal.role !== 'admin') throw forbidden();
  };

  return {
    async page(principal: Principal | null, filters: SearchFilters, cursor: ReturnType<typeof decodeCursor>, limit: number): Promise<SearchPage> {
      adminOnly(principal);
      return searchPage(db, filters, cursor, limit);
    },

    /** Writes the CSV to `res` a batch at a time, waiting while the client is slower than the database. */
    async csv(principal: Principal | null, filters: SearchFilters, res: Response): Promise<void> {
      adminOnly(principal);
      const out = stringify({ bom: true, record_delimiter: '\r\n' });
      out.pipe(res);
      let closed = false;
      res.once('close', () => { closed = true; });
      const drained = () => new Promise<void>((resolve) => {
        const done = () => { out.off('drain', done); res.off('close', done); resolve(); };
        out.once('drain', done);
        res.once('close', done);
      });
      try {
        out.write([...SEARCH_CSV_COLUMNS]);
        for await (const record of searchCsvRecords(db, filters)) {
          if (closed) break;
          if (!out.write(record)) await drained();
        }
      } finally {
        out.end();
      }
    },

    /** The transcript with private notes (staff see them), by the transcript rule. */
    async transcript(principal: Principal | null, conversationId: string): Promise<Transcript> {
      const conversation = await readable(principal, conversationId);
      const [messages, tags] = await Promise.all([listMessages(db, conversationId, 0, { withNotes: true }), tagsOf(db, [conversationId])]);
      return { conversation, tags: tags.get(conversationId) ?? [], messages };
    },

    async transcriptText(principal: Principal | null, conversationId: string, locale: TranscriptLocale): Promise<string> {
      const t = await this.transcript(principal, conversationId);
      return transcriptText(t.conversation, t.messages, locale, 'staff');
    },

    async record(principal: Principal | null, conversationId: string): Promise<ConversationRecord> {
      await readable(principal, conversationId);
      const record = await conversationRecord(db, conversationId);
      if (!record) throw notFound('Conversation');
      return record;
    },
  };
}
export type SearchService = ReturnType<typeof searchService>;
