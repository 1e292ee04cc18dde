import { inject, provide, type InjectionKey } from 'vue';
import { restClient, type RestClient } from '../../../client/rest';
import { operations } from '../../../client/operations';
import { readCookie } from '../cookies';
import { CSRF_COOKIE, CSRF_HEADER } from '../../../domain/contracts/session';
import type { FileLimits, FileLinks } from '../../../domain/files';

/**
 * How the file components reach the API as the signed-in user: the visitor app provides its Bearer
 * token; the staff apps need nothing (their session cookie with the CSRF header is the default).
 */
export interface FileAccess {
  rest: RestClient;
  /** The Bearer token, or null for a cookie session. */
  token(): string | null;
  links(conversationId: string, fileId: string, fresh?: boolean): Promise<FileLinks>;
  limits(): Promise<FileLimits>;
}

const KEY: InjectionKey<FileAccess> = Symbol('parley-file-access');

/** A link is renewed when it has less than this left (ms). */
const RENEW_BEFORE_MS = 60_000;

export function fileAccess(token: () => string | null = () => null): FileAccess {
  const rest = restClient('', { auth: { token, csrf: () => readCookie(CSRF_COOKIE), csrfHeader: CSRF_HEADER } });
  const cache = new Map<string, Promise<FileLinks>>();
  let limits: Promise<FileLimits> | null = null;
  const valid = async (p: Promise<FileLinks>) => Date.parse((await p).expiresAt) - Date.now() > RENEW_BEFORE_MS;
  return {
    rest,
    token,
    async links(conversationId, fileId, fresh = false) {
      const cached = cache.get(fileId);
      if (cached && !fresh && await valid(cached).catch(() => false)) return cached;
      const next = rest.call(operations.getFileLinks, { params: { id: conversationId, fileId } });
      cache.set(fileId, next);
      next.catch(() => cache.delete(fileId));
      return next;
    },
    limits() {
      limits ??= rest.call(operations.getFileLimits).catch((err: unknown) => {
        limits = null;
        throw err;
      });
      return limits;
    },
  };
}

let staffDefault: FileAccess | null = null;

export function provideFileAccess(access: FileAccess): void {
  provide(KEY, access);
}

export function useFileAccess(): FileAccess {
  return inject(KEY, null) ?? (staffDefault ??= fileAccess());
}
