import { Router } from 'express';
import { z } from 'zod';
import { ChatMessageSchema, IdParams } from '../../domain/contracts/rest.js';
import { NoteInputSchema, NoteMentionSchema } from '../../domain/notes.js';
import type { ApiContext } from '../context.js';
import { route } from '../http/route.js';
import type { ConversationService } from '../services/conversations.js';
import { notesService } from '../services/notes.js';

/** Private notes and mentions over REST (the workbench uses the socket's `agent:note`; same service). */
export function notesRoutes(ctx: ApiContext, conversations: ConversationService): Router {
  const router = Router();
  const notes = notesService(ctx, conversations);

  route(router, {
    method: 'post', path: '/api/conversations/:id/notes', operationId: 'addNote', notFound: 'No such conversation',
    conflict: 'the clientId belongs to another message', summary: 'Write a private note (the serving agent, or an admin: a whisper)',
    description: 'Stored in the transcript for staff only: never in the visitor\'s transcript, socket or exports, and not chat for the timers. `@nickname` mentions notify that member of staff (`note:mention`) and let them read the conversation.',
    tag: 'notes', access: 'staff', params: IdParams, body: NoteInputSchema, response: z.object({ message: ChatMessageSchema }), status: 201,
  }, async ({ principal, params, body }) => ({ message: await notes.post(principal!, params.id, body) }));

  route(router, {
    method: 'get', path: '/api/mentions', operationId: 'listMentions', summary: 'Notes that mention me, newest first (at most 50)', tag: 'notes', access: 'staff',
    response: z.object({ mentions: z.array(NoteMentionSchema) }),
  }, async ({ principal }) => ({ mentions: await notes.mentions(principal!) }));

  return router;
}
