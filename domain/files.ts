import { z } from 'zod';

/**
 * Files sent in a conversation (attachments): what is allowed by default, and the shapes the API and
 * the web apps share. The type of a file is what its bytes say (sniffed), never its name or the
 * Content-Type a client declares.
 */

/** 10 MB, the default upload limit (FILES_MAX_BYTES). */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Types accepted unless the operator sets FILES_ALLOWED_TYPES. SVG and HTML are never accepted (script in a file). */
export const DEFAULT_ALLOWED_FILE_TYPES = [
  'image/png', 'image/jpeg', 'image/gif', 'image/webp',
  'application/pdf', 'text/plain', 'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
] as const;

/** Images Parley decodes, shows inline and makes a thumbnail of. */
export const INLINE_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** A decoded image may have at most this many pixels by default (a small PNG can decode to gigabytes). */
export const DEFAULT_MAX_IMAGE_PIXELS = 40_000_000;

/** Thumbnails fit in this box (px). */
export const THUMBNAIL_BOX = 320;

/** A signed download link is valid this long by default (s); clients ask for fresh ones. */
export const DEFAULT_FILE_LINK_TTL_SEC = 15 * 60;

export const MAX_FILE_NAME_LENGTH = 255;

/** The `file` message body: a file or image in the transcript. */
export const FileBodySchema = z.object({
  kind: z.literal('file'),
  fileId: z.uuid(),
  name: z.string(),
  size: z.number().int(),
  mime: z.string(),
  /** Set for images shown inline: the stored image's size and its thumbnail's. */
  image: z.object({ width: z.number().int(), height: z.number().int(), thumbWidth: z.number().int(), thumbHeight: z.number().int() }).optional(),
});
export type FileBody = z.infer<typeof FileBodySchema>;

/** Signed, expiring download links of one file (GET /api/conversations/{id}/files/{fileId}/links). */
export const FileLinksSchema = z.object({
  url: z.string(),
  thumbnailUrl: z.string().nullable(),
  expiresAt: z.string(),
});
export type FileLinks = z.infer<typeof FileLinksSchema>;

/** What clients need to know before uploading (part of GET /api/config). */
export const FileLimitsSchema = z.object({ maxBytes: z.number().int(), allowedTypes: z.array(z.string()) });
export type FileLimits = z.infer<typeof FileLimitsSchema>;

/** Upload query: the client's id (retries are idempotent) and the file's name as the user sees it. */
export const FileUploadQuerySchema = z.object({
  clientId: z.uuid(),
  name: z.string().trim().min(1, 'name must not be empty').max(MAX_FILE_NAME_LENGTH),
}).strict();

/** Display size: 1.2 MB, 340 kB, 12 B. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 100) / 10} kB`.replace(/\.0 /, ' ');
  return `${Math.round(bytes / 100_000) / 10} MB`.replace(/\.0 /, ' ');
}
