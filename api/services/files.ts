import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { rooms } from '../../domain/contracts/events.js';
import { INLINE_IMAGE_TYPES, formatFileSize, type FileBody, type FileLinks, type FileLimits } from '../../domain/files.js';
import type { ChatMessage } from '../../domain/messages.js';
import { findFile, insertFileMessage, messageByClientId } from '../../db/files.js';
import { toChatMessage } from '../../db/mappers.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import { conflict, forbidden, HttpError, notFound } from '../http/errors.js';
import { ImageError, processImage } from '../files/images.js';
import type { FileLinkSigner, FileVariant } from '../files/links.js';
import { nameForType, sniff } from '../files/sniff.js';
import type { FileStorage } from '../files/storage.js';
import type { ConversationService } from './conversations.js';

const CLOSED = new Set(['rating', 'ended']);

export interface FileSettings {
  maxBytes: number;
  allowedTypes: readonly string[];
  /** Largest decoded image accepted (width × height). */
  maxImagePixels: number;
}

const tooLarge = (message: string) => new HttpError(413, 'bad_request', message);
const unsupported = (message: string) => new HttpError(415, 'bad_request', message);

/** Attachments: upload (sniffed, bounded, idempotent by clientId), signed links, downloads. */
export function fileService(ctx: ApiContext, deps: {
  conversations: ConversationService; storage: FileStorage; links: FileLinkSigner; settings: FileSettings;
}) {
  const { db } = ctx.database;
  const { conversations, storage, links, settings } = deps;

  /** Checks the bytes and turns them into what is stored; throws the clear 400/413/415 before anything is stored. */
  async function prepare(bytes: Buffer, name: string) {
    if (bytes.length === 0) throw new HttpError(400, 'bad_request', 'The file is empty');
    if (bytes.length > settings.maxBytes) throw tooLarge(`The file is larger than ${formatFileSize(settings.maxBytes)}`);
    const type = await sniff(bytes);
    if (!type.ok) {
      throw unsupported(type.reason === 'markup'
        ? 'HTML and SVG files are not accepted: they can carry scripts'
        : 'This type of file is not accepted');
    }
    if (!settings.allowedTypes.includes(type.mime)) throw unsupported(`This type of file (${type.mime}) is not accepted`);
    const storedName = nameForType(name, type.ext);
    if (!INLINE_IMAGE_TYPES.includes(type.mime)) return { mime: type.mime, name: storedName, data: bytes, image: null };
    try {
      const image = await processImage(bytes, type.mime, settings.maxImagePixels);
      return { mime: type.mime, name: storedName, data: image.data, image };
    } catch (err) {
      if (!(err instanceof ImageError)) throw err;
      if (err.reason === 'too-large') throw tooLarge(`The image has too many pixels (at most ${settings.maxImagePixels.toLocaleString('en')})`);
      throw new HttpError(400, 'bad_request', 'The image could not be read: the file is damaged or not a complete image');
    }
  }

  return {
    limits(): FileLimits {
      return { maxBytes: settings.maxBytes, allowedTypes: [...settings.allowedTypes] };
    },

    /**
     * Stores a file sent by the visitor (their own open conversation) or the agent serving it, as a
     * `file` message delivered like a chat message. A retry with the same clientId returns the stored
     * message (`created: false`) and stores nothing new; a refused file stores nothing at all.
     */
    async upload(principal: Principal, conversationId: string, input: { clientId: string; name: string; bytes: Buffer }):
      Promise<{ message: ChatMessage; created: boolean }> {
      const c = await conversations.getVisible(principal, conversationId);
      const sender = principal.kind === 'visitor' ? 'visitor' as const : 'agent' as const;
      const senderId = principal.kind === 'visitor' ? principal.visitorId : principal.userId;
      const earlier = async () => {
        const row = await messageByClientId(db, c.id, input.clientId);
        if (!row) return null;
        // Client ids are visible to the other party: one reused by someone else must not return their message.
        if (row.sender !== sender || row.senderId !== senderId || row.body.kind !== 'file') throw conflict('This clientId already belongs to another message');
        return { message: toChatMessage(row), created: false };
      };
      const retried = await earlier();
      if (retried) return retried;
      if (CLOSED.has(c.status)) throw conflict('This conversation is closed');
      if (principal.kind === 'staff' && c.agentId !== principal.userId) throw forbidden('Only the agent serving this conversation can send files in it');

      const file = await prepare(input.bytes, input.name);
      const fileId = randomUUID();
      const storageKey = `files/${fileId}/original`;
      const thumbnailKey = file.image ? `files/${fileId}/thumbnail` : null;
      const body: FileBody = {
        kind: 'file', fileId, name: file.name, size: file.data.length, mime: file.mime,
        ...(file.image ? {
          image: { width: file.image.width, height: file.image.height, thumbWidth: file.image.thumbnail.width, thumbHeight: file.image.thumbnail.height },
        } : {}),
      };
      const stored: string[] = [];
      try {
        await storage.put(storageKey, file.data, file.mime);
        stored.push(storageKey);
        if (thumbnailKey && file.image) {
          await storage.put(thumbnailKey, file.image.thumbnail.data, file.image.thumbnail.mime);
          stored.push(thumbnailKey);
        }
        const row = await insertFileMessage(db, {
          id: fileId, conversationId: c.id, uploaderKind: sender, uploaderId: senderId, name: file.name, mime: file.mime, size: file.data.length,
          storageKey, thumbnailKey, width: file.image?.width ?? null, height: file.image?.height ?? null,
        }, { id: randomUUID(), sender, senderId, senderName: sender === 'visitor' ? c.visitorName : c.agentName, body, clientId: input.clientId });
        if (!row) {
          // A concurrent attempt with the same clientId won: drop these bytes, answer with its message.
          await Promise.all(stored.map((k) => storage.delete(k)));
          const other = await earlier();
          if (!other) throw conflict('This clientId already belongs to another message');
          return other;
        }
        const message = toChatMessage(row);
        ctx.io.to(rooms.conversation(c.id)).emit('message', message);
        return { message, created: true };
      } catch (err) {
        await Promise.allSettled(stored.map((k) => storage.delete(k)));
        throw err;
      }
    },

    /** Fresh signed links to one of the conversation's files, for whoever may see the conversation. */
    async links(principal: Principal, conversationId: string, fileId: string): Promise<FileLinks> {
      await conversations.getVisible(principal, conversationId);
      const file = await findFile(db, fileId);
      if (!file || file.conversationId !== conversationId) throw notFound('File');
      const original = links.sign(file.id, 'original');
      return { url: original.url, thumbnailUrl: file.thumbnailKey ? links.sign(file.id, 'thumbnail').url : null, expiresAt: original.expiresAt };
    },

    /** A signed link's file: 403 when the link is expired or was changed, 404 when the file is gone. */
    async open(fileId: string, variant: FileVariant, exp: number, sig: string):
      Promise<{ name: string; mime: string; size: number; inline: boolean; expiresAt: number; body: Readable }> {
      const verdict = links.verify(fileId, variant, exp, sig);
      if (verdict === 'expired') throw forbidden('This link has expired: reopen the file from the conversation');
      if (verdict !== 'ok') throw forbidden('This link is not valid');
      const file = await findFile(db, fileId);
      const key = variant === 'thumbnail' ? file?.thumbnailKey : file?.storageKey;
      if (!file || !key) throw notFound('File');
      const object = await storage.get(key);
      if (!object) throw notFound('File');
      const image = INLINE_IMAGE_TYPES.includes(file.mime);
      return {
        name: variant === 'thumbnail' ? `thumbnail-${file.name}.webp` : file.name,
        mime: variant === 'thumbnail' ? 'image/webp' : file.mime,
        size: object.size,
        inline: image,
        expiresAt: exp,
        body: object.body,
      };
    },
  };
}
export type FileService = ReturnType<typeof fileService>;
