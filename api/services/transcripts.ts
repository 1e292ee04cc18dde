import nodemailer, { type Transporter } from 'nodemailer';
import { listMessages } from '../../db/queries.js';
import { visitorProfile } from '../../db/visitor-context.js';
import { transcriptMailIntro, transcriptSubject, transcriptText, type TranscriptLocale } from '../../domain/transcript.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import { badRequest, forbidden, HttpError } from '../http/errors.js';
import { rateLimited, tokenBuckets } from '../http/rate-limit.js';
import type { ConversationService } from './conversations.js';

/** The operator's SMTP server for transcript e-mails (env SMTP_URL, SMTP_FROM, TRANSCRIPT_EMAILS_PER_HOUR). */
export interface TranscriptMailConfig {
  /** smtp://user:pass@host:587 or smtps://…:465; unset: e-mailing transcripts is off. */
  smtpUrl?: string;
  from?: string;
  /** Transcript e-mails per visitor per hour (per API process). */
  perVisitorPerHour?: number;
  /** Transcript e-mails per hour from this API process, whoever asks (a cap on the desk being used to send mail). */
  perProcessPerHour?: number;
}

export const DEFAULT_TRANSCRIPT_MAIL = { from: 'Parley <no-reply@localhost>', perVisitorPerHour: 3, perProcessPerHour: 200 } as const;
const HOUR = 3_600_000;

export const notConfigured = () => new HttpError(409, 'conflict', 'Sending transcripts by e-mail is not set up on this desk (the operator sets SMTP_URL)');

/**
 * The visitor's transcript (issue 19): as a plain-text file, or e-mailed through the operator's SMTP server.
 * A visitor gets only their own conversations' transcripts (getVisible answers 404 for anyone else's).
 */
export function transcriptService(ctx: ApiContext, conversations: ConversationService, mail: TranscriptMailConfig = {}) {
  const { db } = ctx.database;
  const from = mail.from ?? DEFAULT_TRANSCRIPT_MAIL.from;
  const perVisitor = tokenBuckets({ capacity: mail.perVisitorPerHour ?? DEFAULT_TRANSCRIPT_MAIL.perVisitorPerHour, perMs: HOUR });
  const perProcess = tokenBuckets({ capacity: mail.perProcessPerHour ?? DEFAULT_TRANSCRIPT_MAIL.perProcessPerHour, perMs: HOUR });
  let transport: Transporter | null = null;
  const transporter = () => {
    if (!mail.smtpUrl) throw notConfigured();
    transport ??= nodemailer.createTransport({ url: mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
    return transport;
  };

  async function render(principal: Principal, conversationId: string, locale: TranscriptLocale) {
    if (principal.kind !== 'visitor') throw forbidden('Only the visitor downloads their transcript here; staff read it in the history');
    const c = await conversations.getVisible(principal, conversationId);
    const messages = await listMessages(db, conversationId, 0, { withNotes: false });
    return { c, text: transcriptText(c, messages, locale) };
  }

  return {
    /** Whether the desk can e-mail transcripts (the app shows the e-mail action only then). */
    get emailAvailable() { return Boolean(mail.smtpUrl); },

    async text(principal: Principal, conversationId: string, locale: TranscriptLocale): Promise<string> {
      return (await render(principal, conversationId, locale)).text;
    },

    /** E-mails the transcript to `to`, or to the e-mail on the visitor's profile. */
    async email(principal: Principal, conversationId: string, input: { to?: string; locale: TranscriptLocale }): Promise<{ sentTo: string }> {
      if (principal.kind !== 'visitor') throw forbidden('Only the visitor has their transcript e-mailed');
      const { c, text } = await render(principal, conversationId, input.locale); // someone else's: 404 first
      transporter(); // not set up: say so before anything is counted
      const to = input.to ?? (await visitorProfile(db, principal.visitorId))?.email ?? null;
      if (!to) throw badRequest('to: give the e-mail address to send the transcript to', 'to');
      const mine = perVisitor.take(principal.visitorId);
      if (!mine.ok) throw rateLimited(mine.retryAfterMs);
      const all = perProcess.take('all');
      if (!all.ok) { mine.refund?.(); throw rateLimited(all.retryAfterMs); }
      try {
        await transporter().sendMail({
          from, to, subject: transcriptSubject(c.createdAt, input.locale),
          text: `${transcriptMailIntro(input.locale)}\n\n${text}`,
          attachments: [{ filename: `transcript-${c.id}.txt`, content: text, contentType: 'text/plain; charset=utf-8' }],
        });
      } catch (err) {
        mine.refund?.();
        all.refund?.();
        console.warn('[transcripts] SMTP send failed:', err instanceof Error ? err.message : err);
        throw new HttpError(502, 'unavailable', 'The e-mail server did not take the message; please try again later');
      }
      return { sentTo: to };
    },

    close() { transport?.close(); },
  };
}
export type TranscriptService = ReturnType<typeof transcriptService>;
