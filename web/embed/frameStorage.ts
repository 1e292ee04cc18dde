import { setStorageFallback } from '../common/storage';

/**
 * The frame's storage (issue 19). Normally the frame's own localStorage, partitioned by the top-level site, so
 * every tab of the site shares it. Where the browser denies a third-party frame its storage (third-party cookies
 * blocked: Chromium's headless default, incognito, Safari, Brave), the host page keeps these few values for it
 * (widget.js, under one localStorage key of the host origin): they arrive with the `host` message and every
 * change is sent back. The host page can then read the visitor's token; it could already act as the visitor
 * through the SDK, and without this the visitor would lose the chat on every page.
 */
export const storageDenied = (() => {
  try {
    localStorage.getItem('parley.probe');
    return false;
  } catch {
    return true;
  }
})();

const kept = new Map<string, string>();
let persist: (key: string, value: string | null) => void = () => undefined;

export const frameStorage = {
  get(key: string): string | null {
    if (!storageDenied) return localStorage.getItem(key);
    return kept.get(key) ?? null;
  },
  set(key: string, value: string | null) {
    if (!storageDenied) {
      try {
        if (value === null) localStorage.removeItem(key);
        else localStorage.setItem(key, value);
      } catch { /* full: this page only */ }
      return;
    }
    if (value === null) kept.delete(key);
    else kept.set(key, value);
    persist(key, value);
  },
};

/** Values the host page kept for the frame, and where to send changes. */
export function useHostStorage(state: Record<string, string> | undefined, send: (key: string, value: string | null) => void) {
  if (!storageDenied) return;
  for (const [k, v] of Object.entries(state ?? {})) if (typeof v === 'string' && k.startsWith('parley.')) kept.set(k, v);
  persist = send;
}

setStorageFallback({ get: frameStorage.get, set: frameStorage.set });
