import { watch, type Ref } from 'vue';
import type { FrameToHost } from '../../domain/widget';
import type { ApiClient } from '../common/api';
import { t } from '../common/i18n';
import { availabilityTexts } from '../visitor/availabilityTexts';
import { useAvailabilityStore } from '../visitor/stores/availability';

/** How often the launcher's availability is read again while the host page is visible. */
export const AVAILABILITY_REFRESH_MS = 60_000;
/** Opening the chat reads it again unless it was read this recently. */
const FRESH_ON_OPEN_MS = 5_000;

/**
 * Issue 19: the channel's online / away / offline state on the widget's launcher. The chat's frame reads it
 * (GET /api/channels/:channel/availability, the same store as the chat's header) when it loads, every minute
 * while the page is visible, when the page becomes visible again after a minute, and when the chat opens;
 * not while the chat's socket follows the channel (it is told every change). Each change, and each switch of
 * language, goes to the launcher in the catalogue's words.
 */
export function launcherAvailability(opts: {
  api: ApiClient;
  channel: string;
  opened: Ref<boolean>;
  /** The chat's socket is connected and follows the channel's availability. */
  live: () => boolean;
  post: (msg: Omit<Extract<FrameToHost, { type: 'availability' }>, 'parley'>) => void;
}): void {
  const availability = useAvailabilityStore();
  let readAt = 0;
  const read = () => {
    readAt = Date.now();
    void availability.load(opts.api, opts.channel);
  };
  const olderThan = (ms: number) => document.visibilityState === 'visible' && !opts.live() && Date.now() - readAt >= ms;

  read();
  setInterval(() => { if (olderThan(AVAILABILITY_REFRESH_MS - 1_000)) read(); }, AVAILABILITY_REFRESH_MS);
  document.addEventListener('visibilitychange', () => { if (olderThan(AVAILABILITY_REFRESH_MS)) read(); });
  watch(opts.opened, (open) => { if (open && olderThan(FRESH_ON_OPEN_MS)) read(); });

  // Re-run on a new answer and on a switch of language (t reads the current locale).
  watch(() => {
    const a = availability.current;
    if (!a) return { status: null, state: '', text: '' };
    const { state, detail } = availabilityTexts(a);
    return { status: a.status, state, text: detail ? t('widget.launcher.availability', { state, detail }) : state };
  }, (now) => opts.post({ type: 'availability', ...now }), { immediate: true });
}
