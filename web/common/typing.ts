/**
 * Turns keystrokes into typing events: `true` at once when typing starts, then at most one every
 * `throttleMs` while it goes on (each carries the latest text, for a preview); `false` after `idleMs`
 * without a keystroke, on send, and when the composer goes away.
 */
export const TYPING_THROTTLE_MS = 2_000;
export const TYPING_IDLE_MS = 4_000;
/** A typing indicator nobody refreshed for this long is hidden (the stop event may have been lost). */
export const TYPING_SHOW_MS = 7_000;

export function typingNotifier(
  emit: (typing: boolean, text: string) => void,
  opts: { throttleMs?: number; idleMs?: number; now?: () => number; setTimer?: typeof setTimeout; clearTimer?: typeof clearTimeout } = {},
) {
  const throttleMs = opts.throttleMs ?? TYPING_THROTTLE_MS;
  const idleMs = opts.idleMs ?? TYPING_IDLE_MS;
  const now = opts.now ?? Date.now;
  const setTimer = opts.setTimer ?? setTimeout;
  const clearTimer = opts.clearTimer ?? clearTimeout;
  let typing = false;
  let lastSent = -Infinity;
  let sentText = '';
  let latest = '';
  let idle: ReturnType<typeof setTimeout> | null = null;
  /** The throttle's trailing edge: the latest text once the window ends, so a preview never lags for long. */
  let trailing: ReturnType<typeof setTimeout> | null = null;

  const send = () => {
    trailing = null;
    typing = true;
    lastSent = now();
    sentText = latest;
    emit(true, latest);
  };

  function stop() {
    if (idle) clearTimer(idle);
    if (trailing) clearTimer(trailing);
    idle = null;
    trailing = null;
    if (!typing) return;
    typing = false;
    lastSent = -Infinity;
    sentText = '';
    emit(false, '');
  }

  return {
    /** The composer's text changed by the user. */
    input(text: string) {
      if (!text.trim()) return stop();
      latest = text;
      if (idle) clearTimer(idle);
      idle = setTimer(stop, idleMs);
      if (!typing || now() - lastSent >= throttleMs) {
        if (trailing) clearTimer(trailing);
        send();
      } else if (!trailing && latest !== sentText) {
        trailing = setTimer(send, lastSent + throttleMs - now());
      }
    },
    stop,
  };
}
