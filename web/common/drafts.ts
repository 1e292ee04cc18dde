/**
 * Unsent composer text per conversation, in localStorage, so it survives switching conversations and
 * reloading the page. Keyed by who writes (agent id, or `visitor`) and the conversation; bounded: at most
 * MAX_DRAFTS drafts (the least recently written go first), each at most MAX_DRAFT_CHARS, none older than
 * MAX_AGE_MS. Storage may be unavailable (private mode): drafts then last as long as the component.
 */
export const MAX_DRAFTS = 50;
export const MAX_DRAFT_CHARS = 4000;
export const MAX_AGE_MS = 7 * 24 * 3600_000;
const INDEX_KEY = 'parley.drafts';
const PREFIX = 'parley.draft.';

interface IndexEntry { key: string; at: number }

/** What drafts need of localStorage (a Map-backed fake in unit tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const browserStorage = (): KeyValueStorage | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
};

export const draftKey = (owner: string, conversationId: string) => `${owner}:${conversationId}`;

export function draftStore(storage: KeyValueStorage | null = browserStorage(), now: () => number = Date.now) {
  const readIndex = (): IndexEntry[] => {
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(INDEX_KEY) ?? '[]');
      if (!Array.isArray(parsed)) return [];
      return parsed.filter((e: unknown): e is IndexEntry => typeof (e as IndexEntry | null)?.key === 'string' && typeof (e as IndexEntry | null)?.at === 'number');
    } catch {
      return [];
    }
  };
  const writeIndex = (index: IndexEntry[]) => {
    try {
      storage?.setItem(INDEX_KEY, JSON.stringify(index));
    } catch {
      /* full or unavailable */
    }
  };
  const drop = (key: string) => {
    try {
      storage?.removeItem(PREFIX + key);
    } catch {
      /* unavailable */
    }
  };
  /** Removes expired drafts and the oldest beyond the bound. */
  const prune = (index: IndexEntry[]) => {
    const fresh = index.filter((e) => now() - e.at <= MAX_AGE_MS).sort((a, b) => b.at - a.at);
    for (const e of index) if (!fresh.includes(e)) drop(e.key);
    for (const e of fresh.slice(MAX_DRAFTS)) drop(e.key);
    return fresh.slice(0, MAX_DRAFTS);
  };

  return {
    get(key: string): string {
      const entry = readIndex().find((e) => e.key === key);
      if (!entry || now() - entry.at > MAX_AGE_MS) return '';
      try {
        return storage?.getItem(PREFIX + key) ?? '';
      } catch {
        return '';
      }
    },
    /** Saves the text (an empty or blank text clears the draft). */
    set(key: string, text: string): void {
      if (!text.trim()) return this.clear(key);
      try {
        storage?.setItem(PREFIX + key, text.slice(0, MAX_DRAFT_CHARS));
      } catch {
        return;
      }
      writeIndex(prune([{ key, at: now() }, ...readIndex().filter((e) => e.key !== key)]));
    },
    clear(key: string): void {
      drop(key);
      const index = readIndex();
      if (index.some((e) => e.key === key)) writeIndex(index.filter((e) => e.key !== key));
    },
    /** Every draft of one writer (signing out on a shared computer leaves none behind). */
    clearOwner(owner: string): void {
      const index = readIndex();
      const mine = index.filter((e) => e.key.startsWith(`${owner}:`));
      for (const e of mine) drop(e.key);
      if (mine.length) writeIndex(index.filter((e) => !mine.includes(e)));
    },
  };
}
export type DraftStore = ReturnType<typeof draftStore>;
