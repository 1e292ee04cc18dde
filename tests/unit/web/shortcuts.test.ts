import { describe, expect, it } from 'vitest';
import { neighbour, shortcutFor, type KeyPress } from '../../../web/agent/shortcuts.js';

const key = (k: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key: k, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

describe('workbench keyboard shortcuts', () => {
  it('plain keys act outside fields', () => {
    expect(shortcutFor(key('j'), false)).toBe('next');
    expect(shortcutFor(key('k'), false)).toBe('previous');
    expect(shortcutFor(key('/'), false)).toBe('composer');
    expect(shortcutFor(key('t'), false)).toBe('transfer');
    expect(shortcutFor(key('C', { shiftKey: true }), false)).toBe('close');
    expect(shortcutFor(key('a'), false)).toBe('accept');
    expect(shortcutFor(key('?', { shiftKey: true }), false)).toBe('help');
  });

  it('typing in a field: plain keys type, only the Alt chords and Esc act', () => {
    for (const k of ['j', 'k', '/', 't', 'a', '?']) expect(shortcutFor(key(k), true)).toBeNull();
    expect(shortcutFor(key('C', { shiftKey: true }), true)).toBeNull();
    expect(shortcutFor(key('ArrowDown', { altKey: true }), true)).toBe('next');
    expect(shortcutFor(key('ArrowUp', { altKey: true }), true)).toBe('previous');
    expect(shortcutFor(key('Escape'), true)).toBe('escape');
    expect(shortcutFor(key('Escape'), false)).toBeNull();
  });

  it('never while an input method composes, nor with Ctrl or Cmd (the browser\'s own shortcuts)', () => {
    expect(shortcutFor({ ...key('j'), isComposing: true }, false)).toBeNull();
    expect(shortcutFor(key('t', { ctrlKey: true }), false)).toBeNull();
    expect(shortcutFor(key('a', { metaKey: true }), false)).toBeNull();
    expect(shortcutFor(key('c'), false)).toBeNull(); // close needs Shift
  });

  it('next and previous wrap round the list', () => {
    expect(neighbour(['a', 'b', 'c'], 'c', 1)).toBe('a');
    expect(neighbour(['a', 'b', 'c'], 'a', -1)).toBe('c');
    expect(neighbour(['a', 'b'], null, 1)).toBe('a');
    expect(neighbour(['a', 'b'], null, -1)).toBe('b');
    expect(neighbour([], null, 1)).toBeNull();
  });
});
