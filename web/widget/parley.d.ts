/**
 * Parley's JavaScript SDK on a host page: `window.Parley`, defined by widget.js (served at /widget.d.ts).
 *
 *   <script src="https://desk.example/widget.js" data-parley-channel="web" async></script>
 *
 * Calls made before widget.js has loaded are queued by the snippet in docs/embedding.md and run in order.
 */
export interface ParleyUser {
  /** Your site's user id (at most 200 characters). Verified when `hash` is its HMAC with the channel's identity secret. */
  id: string;
  name?: string;
  email?: string;
  phone?: string;
  /** Custom attributes the agent sees (keys start with a letter; at most 30; values up to 500 characters). */
  attributes?: Record<string, string>;
}

export interface IdentifyOptions {
  /** Hex HMAC-SHA256 of `user.id` keyed with the channel's identity secret, computed by your server. Without it the identity is shown as unverified. */
  hash?: string;
}

/** A page as the agent sees it in the visitor's journey. */
export type TrackEvent = 'pageView';

export interface ParleyMessage {
  id: string;
  /** `agent`, `bot` or `system`. */
  sender: string;
  /** The text of a text message; null for other kinds (menus, files, notices). */
  text: string | null;
}

export interface ParleyEvents {
  /** The chat's frame has loaded and hears the SDK. */
  ready: () => void;
  opened: () => void;
  closed: () => void;
  /** A new message from the desk (not the visitor's own). */
  message: (message: ParleyMessage) => void;
  /** The number of desk messages the visitor has not seen yet changed. */
  unread: (e: { count: number }) => void;
  conversationEnded: (e: { conversationId: string }) => void;
  /** The desk answered `identify`: `verified` when the hash checked out. */
  identified: (e: { identity: 'verified' | 'unverified' | 'anonymous' }) => void;
  /** Something failed (also printed to the console with a `[Parley]` prefix). */
  error: (e: { code: string; message: string }) => void;
}

export interface ParleySdk {
  identify(user: ParleyUser, options?: IdentifyOptions): void;
  open(): void;
  close(): void;
  toggle(): void;
  /** `en` or `zh-CN` (other tags fall back to the nearest supported one). */
  setLocale(locale: string): void;
  setAttributes(attributes: Record<string, string>): void;
  /** Reports the current page (done for you on history.pushState / replaceState / popstate). */
  track(event?: TrackEvent): void;
  /** Returns a function that removes the listener. */
  on<K extends keyof ParleyEvents>(event: K, listener: ParleyEvents[K]): () => void;
  off<K extends keyof ParleyEvents>(event: K, listener: ParleyEvents[K]): void;
  isOpen(): boolean;
  unreadCount(): number;
}

/** Read by widget.js when set before it loads (the script's data-parley-* attributes otherwise). */
export interface ParleySettings {
  channel?: string;
  /** `launcher` (default): a bubble in a corner; `inline`: the chat rendered into `target`. */
  mode?: 'launcher' | 'inline';
  /** A CSS selector or element for `inline` mode. */
  target?: string | HTMLElement;
}

declare global {
  interface Window {
    Parley: ParleySdk;
    ParleySettings?: ParleySettings;
  }
}
