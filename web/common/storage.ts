/** A token kept in localStorage under one key. Storage can be unavailable (private mode, blocked cookies). */
export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

/**
 * Where tokens go when localStorage is denied (private modes; a third-party frame whose browser blocks its
 * storage): this page's memory, unless the embedded widget's frame set another (issue 19: the host page keeps
 * them, web/embed/frameStorage.ts).
 */
export interface StorageFallback { get(key: string): string | null; set(key: string, value: string | null): void }
const memory = new Map<string, string>();
let fallback: StorageFallback = {
  get: (key) => memory.get(key) ?? null,
  set: (key, value) => void (value === null ? memory.delete(key) : memory.set(key, value)),
};
export function setStorageFallback(next: StorageFallback): void {
  fallback = next;
}

export function tokenStore(key: string): TokenStore {
  return {
    get() {
      try {
        return localStorage.getItem(key);
      } catch {
        return fallback.get(key);
      }
    },
    set(token) {
      try {
        localStorage.setItem(key, token);
      } catch {
        fallback.set(key, token); // storage unavailable: the session lasts as long as the fallback keeps it
      }
    },
    clear() {
      try {
        localStorage.removeItem(key);
      } catch {
        fallback.set(key, null);
      }
    },
  };
}

/** Only visitors keep a token in localStorage; staff sessions are HttpOnly cookies (common/session.ts). */
export const TOKEN_KEYS = {
  visitor: 'parley.visitor.token',
} as const;
