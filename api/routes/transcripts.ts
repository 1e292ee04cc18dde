import { Router } from 'express';
import { z } from 'zod';
import { IdParams } from '../../domain/contracts/rest.js';
import { TRANSCRIPT_LOCALES } from '../../domain/transcript.js';
import type { ApiContext } from '../context.js';
import { route } from '../http/route.js';
import type { TranscriptService } from '../services/transcripts.js';

const Locale = z.enum(TRANSCRIPT_LOCALES).default('en');

/** Issue 19: the visitor's own transcript as a text file, or e-mailed through the operator's SMTP server. */
export function transcriptRoutes(_ctx: ApiContext, transcripts: TranscriptService): Router {
  const router = Router();

  route(router, {
    method: 'get', path: '/api/visitor/transcript-email', operationId: 'getTranscriptEmailAvailability', summary: 'Whether this desk can e-mail transcripts (an SMTP server is set up)', tag: 'chat', access: 'visitor',
    response: z.object({ available: z.boolean() }),
  }, async () => ({ available: transcripts.emailAvailable }));

  route(router, {
    method: 'get', path: '/api/visitor/conversations/:id/transcript', operationId: 'downloadTranscript', notFound: 'No such conversation (a visitor sees only their own)',
    summary: 'The visitor\'s transcript of their own conversation, as a plain-text file', tag: 'chat', access: 'visitor',
    description: 'Plain text (UTF-8), never HTML; private notes are never in it. `locale` words the header lines.',
    params: IdParams, query: z.object({ locale: Locale }).strict(),
    rawResponse: { description: 'The transcript (text/plain; charset=utf-8), as an attachment' },
  }, async ({ principal, params, query, res }) => {
    const text = await transcripts.text(principal!, params.id, query.locale);
    res.status(200);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="transcript-${params.id}.txt"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(text);
  });

  route(router, {
    method: 'post', path: '/api/visitor/conversations/:id/transcript/email', operationId: 'emailTranscript', notFound: 'No such conversation (a visitor sees only their own)',
    rateLimited: true, conflict: 'the desk has no SMTP server set up (SMTP_URL)', summary: 'E-mail the visitor their own transcript', tag: 'chat', access: 'visitor',
    description: '`to`: the address (default: the e-mail on the visitor\'s profile). A few per visitor per hour (TRANSCRIPT_EMAILS_PER_HOUR).',
    params: IdParams, body: z.object({ to: z.email('to must be an e-mail address, like name@example.com').max(254).optional(), locale: Locale }).strict(),
    response: z.object({ sentTo: z.string() }),
    responses: { 502: { description: 'The SMTP server refused or could not be reached (error code unavailable); nothing was sent' } },
  }, async ({ principal, params, body }) => transcripts.email(principal!, params.id, { ...(body.to ? { to: body.to } : {}), locale: body.locale }));

  return router;
}
