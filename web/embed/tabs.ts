/**
 * What the widget's tabs of one site share (issue 19). The chat's frame stores under the desk's origin,
 * which Chromium partitions by the top-level site: every tab of the same site shares this storage (one
 * visitor token, so one conversation), and another site never sees it. BroadcastChannel (partitioned the
 * same way) tells the other tabs at once when the chat opens or closes, is read, or the visitor changes.
 */
import { frameStorage } from './frameStorage';

export type TabMessage = { type: 'open' | 'close' } | { type: 'seen'; seq: number } | { type: 'identity' };

export function tabSync(channel: string) {
  const prefix = `parley.widget.${channel}.`;
  const bc = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`parley-widget-${channel}`) : null;
  return {
    get: (key: string): string | null => frameStorage.get(prefix + key),
    set: (key: string, value: string | null) => frameStorage.set(prefix + key, value),
    broadcast(msg: TabMessage) {
      bc?.postMessage(msg);
    },
    listen(handler: (msg: TabMessage) => void) {
      if (bc) bc.onmessage = (e: MessageEvent<TabMessage>) => handler(e.data);
    },
  };
}
