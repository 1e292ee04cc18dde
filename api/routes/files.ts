import { pipeline } from 'node:stream/promises';
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { ChatMessageSchema } from '../../domain/contracts/rest.js';
import { DEFAULT_MAX_FILE_BYTES, FileLimitsSchema, FileLinksSchema, FileUploadQuerySchema, formatFileSize } from '../../domain/files.js';
import { INT8_JS_MAX, integerParam } from '../http/integers.js';
import { HttpError } from '../http/errors.js';
import { route } from '../http/route.js';
import type { FileService } from '../services/files.js';

const UPLOAD_PATH = '/api/conversations/:id/files';

/** The file response may only be looked at, never run: no script, no plugins, no frames, a sandboxed origin. */
const FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266/5987): an ASCII fallback and the real (e.g. Chinese) name. */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Reads an upload's bytes, only for a caller with a token (anyone else is refused by the route before
 * a byte is read) and never more than the limit: a declared Content-Length over it is refused at once.
 */
function readUpload(files: FileService): RequestHandler {
  let raw: RequestHandler | undefined;
  return (req, res, next) => {
    if (!res.locals.principal) return next();
    const { maxBytes } = files.limits();
    raw ??= express.raw({ type: () => true, limit: maxBytes });
    const tooLarge = () => new HttpError(413, 'bad_request', `The file is larger than ${formatFileSize(maxBytes)}`);
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) return next(tooLarge());
    raw(req, res, (err?: unknown) => next((err as { type?: string } | undefined)?.type === 'entity.too.large' ? tooLarge() : err));
  };
}

export function fileRoutes(files: FileService): Router {
  const router = Router();

  route(router, {
    method: 'get', path: '/api/files/limits', operationId: 'getFileLimits', summary: 'The largest file and the file types this desk accepts', tag: 'files', access: 'visitor-or-staff',
    response: FileLimitsSchema,
  }, async () => files.limits());

  router.post(UPLOAD_PATH, readUpload(files));
  route(router, {
    method: 'post', path: UPLOAD_PATH, operationId: 'uploadFile', status: 201, rateLimited: true,
    notFound: 'No such conversation (a visitor sees only their own)', conflict: 'the conversation is closed, or the clientId belongs to another message',
    summary: 'Send a file or image (visitor, or the agent serving the conversation)',
    description: 'The body is the file\'s bytes. Its type is sniffed from the content (the name and Content-Type are not trusted); images get a thumbnail and lose their metadata. A retry with the same clientId returns the stored message and stores nothing new.',
    tag: 'files', access: 'visitor-or-staff',
    params: z.object({ id: z.uuid({ error: 'id must be a conversation id (UUID)' }) }),
    query: FileUploadQuerySchema,
    rawBody: { description: `The file's bytes (at most FILES_MAX_BYTES, default ${formatFileSize(DEFAULT_MAX_FILE_BYTES)})` },
    response: z.object({ message: ChatMessageSchema }),
    responses: {
      413: { description: 'The file is larger than the desk accepts (FILES_MAX_BYTES), or the image has too many pixels' },
      415: { description: 'The file\'s sniffed type is not accepted (FILES_ALLOWED_TYPES); HTML and SVG never are' },
    },
  }, async ({ principal, params, query, body, res }) => {
    const { message, created } = await files.upload(principal!, params.id, { clientId: query.clientId, name: query.name, bytes: body as unknown as Buffer });
    res.status(created ? 201 : 200).json({ message });
  });

  route(router, {
    method: 'get', path: '/api/conversations/:id/files/:fileId/links', operationId: 'getFileLinks',
    notFound: 'No such conversation or file (a visitor sees only their own)',
    summary: 'Fresh signed download links of a file in the conversation', tag: 'files', access: 'visitor-or-staff',
    params: z.object({ id: z.uuid({ error: 'id must be a conversation id (UUID)' }), fileId: z.uuid({ error: 'fileId must be a file id (UUID)' }) }),
    response: FileLinksSchema,
  }, async ({ principal, params }) => files.links(principal!, params.id, params.fileId));

  route(router, {
    method: 'get', path: '/api/files/:id/:variant', operationId: 'downloadFile',
    notFound: 'No such file', summary: 'Download a file through a signed link',
    description: 'Only through a link from getFileLinks: `exp` and `sig` are checked (403 when expired or changed). Images are served inline, other files as attachments; never sniffed by the browser, never run.',
    tag: 'files', access: 'public',
    params: z.object({ id: z.uuid({ error: 'id must be a file id (UUID)' }), variant: z.enum(['original', 'thumbnail']) }),
    query: z.object({ exp: integerParam('exp', { min: 0, max: INT8_JS_MAX }), sig: z.string().min(1).max(100) }).strict(),
    rawResponse: { description: 'The file' },
    responses: { 403: { description: 'The link has expired or is not valid (error code forbidden)' } },
  }, async ({ params, query, res }) => {
    const file = await files.open(params.id, params.variant, query.exp, query.sig);
    res.status(200);
    res.setHeader('Content-Type', file.mime);
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('Content-Disposition', contentDisposition(file.inline ? 'inline' : 'attachment', file.name));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', FILE_CSP);
    res.setHeader('Cache-Control', `private, max-age=${Math.max(0, file.expiresAt - Math.floor(Date.now() / 1000))}`);
    await pipeline(file.body, res);
  });

  return router;
}
