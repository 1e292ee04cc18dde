import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/** Every route registers itself here through `route()`; the document is generated from the same zod schemas. */
export const registry = new OpenAPIRegistry();
registry.registerComponent('securitySchemes', 'bearer', {
  type: 'http', scheme: 'bearer', bearerFormat: 'JWT',
  description: 'A staff token from POST /api/auth/login, or a visitor token from POST /api/visitor/session',
});

/** Every tag a route may carry (route() takes only these), described in the document. */
export const TAGS = {
  system: 'Health, public settings and this document',
  auth: 'Staff sign-in',
  visitor: 'Visitor sessions and starting a conversation',
  conversations: 'Conversations, transcripts, messages, closing and rating',
  agents: 'Staff accounts, their limits and status',
  teams: 'Teams (skill groups)',
  routing: 'Routing settings, the queue, joining, assigning and transfers',
  blacklist: 'Blocking and unblocking visitors',
  visitors: "The visitor in context: profiles, VIP, their audit, where a chat started and the pages viewed",
  flows: 'Service flows: drafts, validation and published versions',
  files: 'Files and images sent in conversations: upload, signed links, downloads',
  notes: 'Private notes (staff only, never sent to the visitor) and mentions',
  classification: 'Tags, call reasons, remarks, handled numbers and the desk\'s closing rules',
  canned: 'Canned responses: the organisation\'s and each agent\'s own, lookup, CSV import and export',
  history: 'An agent\'s past conversations, message search and read-only transcripts',
  offline: 'When nobody can answer: channel availability, messages visitors left, marking them handled',
  chat: 'The visitor\'s chat (issue 19): pre-chat forms, transcripts to download or e-mail',
  widget: 'The embeddable widget: per-channel launcher settings, allowed origins, identity verification',
  search: 'Issue 21: admin search over every conversation, its CSV export, a conversation\'s record and staff transcript exports',
  wallboard: 'The live wallboard (issue 21): queues, agents and today\'s service level now, and its settings',
  reports: 'Reports (issue 21): volume, times, quality, agents, transfers, offers, an agent\'s own service record; CSV exports. Definitions: docs/metrics.md',
} as const;
export type Tag = keyof typeof TAGS;

/** The API's JSON error shape (api/http/errors.ts). */
export const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
}).meta({ id: 'Error' });

/** Seconds to wait before asking again (429, 503). */
export const RETRY_AFTER: ResponseConfig['headers'] = {
  'Retry-After': { description: 'Seconds to wait before trying again', required: true, schema: { type: 'integer', minimum: 1 } },
};

/**
 * "Exactly one of" these objects, documented as a JSON Schema `oneOf` (zod-to-openapi writes
 * `anyOf` for every union). Give strict objects whose required keys exclude each other, so that at
 * most one alternative can match and `anyOf` and `oneOf` mean the same.
 */
export function exactlyOneOf<const T extends readonly [z.ZodObject, z.ZodObject, ...z.ZodObject[]]>(options: T, message: string) {
  const oneOf = options.map((o) => {
    const { $schema: _, ...schema } = z.toJSONSchema(o, { io: 'input', target: 'draft-2020-12' });
    return schema;
  });
  // The document shows the `any` side of the pipe (with `oneOf` as its metadata); requests are validated by the union.
  return z.any().meta({ oneOf } as Record<string, unknown>).pipe(z.union(options, { error: message }));
}

export function openApiDocument() {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Parley API',
      version: '1.0.0',
      description: 'Live-chat desk where every conversation is a Temporal workflow. Socket.IO events: docs/socket-events.md',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Parley' },
    },
    servers: [{ url: '/' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
  });
}
