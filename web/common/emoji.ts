/**
 * The composer's emoji: a small curated set shipped with the app (no CDN, no font download). `name` is the
 * picker button's accessible name; the order is the grid's.
 */
export interface EmojiEntry { char: string; name: string }

export const EMOJI: readonly EmojiEntry[] = [
  { char: '😀', name: 'grinning face' },
  { char: '😊', name: 'smiling face' },
  { char: '😂', name: 'tears of joy' },
  { char: '🙂', name: 'slightly smiling face' },
  { char: '😉', name: 'winking face' },
  { char: '😍', name: 'heart eyes' },
  { char: '🤔', name: 'thinking face' },
  { char: '😅', name: 'sweat smile' },
  { char: '😢', name: 'crying face' },
  { char: '😮', name: 'surprised face' },
  { char: '😴', name: 'sleeping face' },
  { char: '🙏', name: 'folded hands' },
  { char: '👍', name: 'thumbs up' },
  { char: '👎', name: 'thumbs down' },
  { char: '👋', name: 'waving hand' },
  { char: '👏', name: 'clapping hands' },
  { char: '🙌', name: 'raised hands' },
  { char: '💪', name: 'flexed biceps' },
  { char: '✅', name: 'check mark' },
  { char: '❌', name: 'cross mark' },
  { char: '❗', name: 'exclamation mark' },
  { char: '❓', name: 'question mark' },
  { char: '⭐', name: 'star' },
  { char: '🎉', name: 'party popper' },
  { char: '❤️', name: 'red heart' },
  { char: '🔥', name: 'fire' },
  { char: '💡', name: 'light bulb' },
  { char: '📦', name: 'package' },
  { char: '📧', name: 'e-mail' },
  { char: '📞', name: 'telephone' },
  { char: '⏰', name: 'alarm clock' },
  { char: '🚚', name: 'delivery truck' },
];

/** Buttons per row of the picker's grid (arrow keys move by one, up and down by a row). */
export const EMOJI_COLUMNS = 8;
