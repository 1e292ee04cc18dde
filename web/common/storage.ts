/** A token kept in localStorage under one key. Storage can be unavailable (private mode, blocked cookies). */
export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

export function tokenStore(key: string): TokenStore {
  return {
    get() {
      try {
        return localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set(token) {
      try {
        localStorage.setItem(key, token);
      } catch {
        /* storage unavailable: the session lasts until the tab closes */
      }
    },
    clear() {
      try {
        localStorage.removeItem(key);
      } catch {
        /* ignore */
      }
    },
  };
}

/** Only visitors keep a token in localStorage; staff sessions are HttpOnly cookies (common/session.ts). */
export const TOKEN_KEYS = {
  visitor: 'parley.visitor.token',
} as const;
