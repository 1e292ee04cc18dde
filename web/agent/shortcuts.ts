// DOM-free and without imports, so the unit tests can import this file too.

/** The actions, as SHORTCUT_TEXTS.actions (web/common/labels.ts) names them. */
export type ShortcutAction = 'next' | 'previous' | 'composer' | 'transfer' | 'close' | 'accept' | 'help' | 'escape';

/** What a key press looks like to the table (a KeyboardEvent has all of it). */
export interface KeyPress { key: string; altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; isComposing?: boolean }

interface Shortcut {
  action: ShortcutAction;
  /** How the help dialog shows the keys, one entry per alternative (each a list of keys pressed together). */
  keys: string[][];
  /** Also while typing in a field (chords that type nothing). */
  whileTyping: boolean;
  matches(e: KeyPress): boolean;
}

const plain = (e: KeyPress) => !e.altKey && !e.ctrlKey && !e.metaKey;

/** The workbench's keyboard shortcuts, in the order the help dialog lists them. */
export const SHORTCUTS: Shortcut[] = [
  { action: 'next', keys: [['J'], ['Alt', '↓']], whileTyping: true, matches: (e) => (plain(e) && e.key === 'j') || (e.altKey && !e.ctrlKey && !e.metaKey && e.key === 'ArrowDown') },
  { action: 'previous', keys: [['K'], ['Alt', '↑']], whileTyping: true, matches: (e) => (plain(e) && e.key === 'k') || (e.altKey && !e.ctrlKey && !e.metaKey && e.key === 'ArrowUp') },
  { action: 'composer', keys: [['/']], whileTyping: false, matches: (e) => plain(e) && e.key === '/' },
  { action: 'transfer', keys: [['T']], whileTyping: false, matches: (e) => plain(e) && e.key === 't' },
  { action: 'close', keys: [['Shift', 'C']], whileTyping: false, matches: (e) => plain(e) && e.shiftKey && e.key === 'C' },
  { action: 'accept', keys: [['A']], whileTyping: false, matches: (e) => plain(e) && e.key === 'a' },
  { action: 'help', keys: [['?']], whileTyping: false, matches: (e) => plain(e) && e.key === '?' },
  { action: 'escape', keys: [['Esc']], whileTyping: true, matches: (e) => e.key === 'Escape' },
];

/**
 * The action a key press asks for, or null. `typing`: the focus is in a text field, where plain keys type
 * (only chords and Esc act there).
 */
export function shortcutFor(e: KeyPress, typing: boolean): ShortcutAction | null {
  if (e.isComposing) return null; // an IME (e.g. pinyin) is composing: the keys are its
  for (const s of SHORTCUTS) {
    if (!s.matches(e)) continue;
    if (!typing) return s.action === 'escape' ? null : s.action;
    if (!s.whileTyping) return null;
    // In a field only the Alt chords move (they type nothing there); plain J/K type.
    if ((s.action === 'next' || s.action === 'previous') && !e.altKey) return null;
    return s.action;
  }
  return null;
}

/** The id after (or before) the current one in the list, wrapping round; the first (or last) when none is shown. */
export function neighbour(ids: string[], current: string | null, step: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return step === 1 ? ids[0] : ids[ids.length - 1];
  return ids[(at + step + ids.length) % ids.length];
}
