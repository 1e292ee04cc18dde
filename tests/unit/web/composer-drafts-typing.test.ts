import { describe, expect, it } from 'vitest';
import { draftKey, draftStore, MAX_AGE_MS, MAX_DRAFT_CHARS, MAX_DRAFTS, type KeyValueStorage } from '../../../web/common/drafts.js';
import { typingNotifier } from '../../../web/common/typing.js';

function memoryStorage(): KeyValueStorage & { size: () => number } {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    size: () => map.size,
  };
}

describe('composer drafts', () => {
  it('keep one draft per writer and conversation, cleared on send (or when emptied)', () => {
    const storage = memoryStorage();
    const drafts = draftStore(storage);
    drafts.set(draftKey('alice', 'c1'), 'half a reply\nsecond line');
    drafts.set(draftKey('alice', 'c2'), 'other');
    // A reload is a new store over the same storage.
    const again = draftStore(storage);
    expect(again.get(draftKey('alice', 'c1'))).toBe('half a reply\nsecond line');
    expect(again.get(draftKey('bob', 'c1'))).toBe('');
    again.clear(draftKey('alice', 'c1'));
    expect(again.get(draftKey('alice', 'c1'))).toBe('');
    again.set(draftKey('alice', 'c2'), '   ');
    expect(again.get(draftKey('alice', 'c2'))).toBe('');
    // Signing out forgets that writer's drafts only.
    again.set(draftKey('alice', 'c3'), 'mine');
    again.set(draftKey('bob', 'c3'), 'his');
    again.clearOwner('alice');
    expect([again.get(draftKey('alice', 'c3')), again.get(draftKey('bob', 'c3'))]).toEqual(['', 'his']);
  });

  it('are bounded in number, length and age', () => {
    const storage = memoryStorage();
    let now = 1_000_000;
    const drafts = draftStore(storage, () => now);
    for (let i = 0; i < MAX_DRAFTS + 10; i++) {
      now += 1;
      drafts.set(`k${i}`, `draft ${i}`);
    }
    expect(drafts.get('k0')).toBe(''); // the least recently written went first
    expect(drafts.get(`k${MAX_DRAFTS + 9}`)).toBe(`draft ${MAX_DRAFTS + 9}`);
    expect(storage.size()).toBe(MAX_DRAFTS + 1); // drafts plus the index
    drafts.set('long', 'x'.repeat(MAX_DRAFT_CHARS + 500));
    expect(drafts.get('long')).toHaveLength(MAX_DRAFT_CHARS);
    now += MAX_AGE_MS + 1;
    expect(drafts.get('long')).toBe('');
  });

  it('work without storage (private mode): nothing is kept, nothing throws', () => {
    const drafts = draftStore(null);
    drafts.set('k', 'text');
    expect(drafts.get('k')).toBe('');
    const broken = draftStore({ getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); }, removeItem: () => undefined });
    expect(() => broken.set('k', 'text')).not.toThrow();
    expect(broken.get('k')).toBe('');
  });
});

describe('typing notifier', () => {
  function fakeClock() {
    let now = 0;
    const timers: Array<{ at: number; fn: () => void; id: number }> = [];
    let next = 1;
    return {
      now: () => now,
      setTimer: ((fn: () => void, ms: number) => { const id = next++; timers.push({ at: now + ms, fn, id }); return id; }) as unknown as typeof setTimeout,
      clearTimer: ((id: number) => { const i = timers.findIndex((t) => t.id === id); if (i >= 0) timers.splice(i, 1); }) as unknown as typeof clearTimeout,
      /** Runs each timer due within `ms` at its own time (timers it sets that fall due run too). */
      advance(ms: number) {
        const end = now + ms;
        for (;;) {
          const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
          if (!due) break;
          timers.splice(timers.indexOf(due), 1);
          now = Math.max(now, due.at);
          due.fn();
        }
        now = end;
      },
    };
  }

  it('sends at most one event per 2 s while typing (the latest text at the end of each window), a stop after 4 s idle, and a stop on send', () => {
    const clock = fakeClock();
    const events: Array<[number, boolean, string]> = [];
    const n = typingNotifier((typing, text) => events.push([clock.now(), typing, text]), clock);
    n.input('H');
    for (let i = 0; i < 10; i++) { clock.advance(150); n.input(`Hello ${i}`); } // 1.5 s of keystrokes
    expect(events).toEqual([[0, true, 'H']]);
    clock.advance(500); // the window ends: its latest text goes out
    expect(events).toEqual([[0, true, 'H'], [2000, true, 'Hello 9']]);
    clock.advance(100);
    n.input('Hello there');
    clock.advance(1_900);
    expect(events.at(-1)).toEqual([4000, true, 'Hello there']);
    expect(events).toHaveLength(3);
    clock.advance(4_000);
    expect(events.at(-1)).toEqual([6100, false, '']); // 4 s after the last keystroke
    n.input('again');
    n.stop(); // sent
    expect(events.slice(-2).map(([, t, x]) => [t, x])).toEqual([[true, 'again'], [false, '']]);
    n.stop();
    clock.advance(10_000);
    expect(events).toHaveLength(6); // no second stop, no stray trailing event
    n.input('x');
    n.input('');
    expect(events.at(-1)?.slice(1)).toEqual([false, '']); // cleared text stops at once
  });
});
