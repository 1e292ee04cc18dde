import type { FrameToHost, HostToFrame } from '../../domain/widget';

type Out = FrameToHost extends infer M ? (M extends { parley: 1 } ? Omit<M, 'parley'> : never) : never;

/**
 * Where the chat runs, from its own URL (`/embed/?channel=web&origin=https://shop.example&mode=launcher`, written
 * by widget.js). The host origin is the browser's own word where it gives one (`location.ancestorOrigins`);
 * the `origin` parameter is only a claim, which the API checks against the channel's allowed origins, and
 * CSP frame-ancestors has already kept any other site from framing this page.
 */
export function embedContext() {
  const params = new URLSearchParams(location.search);
  const raw = params.get('channel') ?? 'web';
  const channel = /^[a-z0-9-]{1,32}$/.test(raw) ? raw : 'web';
  const framed = window.parent !== window;
  const ancestor = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins?.[0];
  const hostOrigin = framed ? ancestor ?? params.get('origin') ?? '' : location.origin;
  const mode: 'launcher' | 'inline' = !framed || params.get('mode') === 'inline' ? 'inline' : 'launcher';
  /** The launcher's colour, for the chat's bar (only a #rrggbb value is taken). */
  const rawColor = params.get('color') ?? '';
  const color = /^#[0-9a-fA-F]{6}$/.test(rawColor) ? rawColor : null;
  return { channel, framed, hostOrigin, mode, color };
}

/** postMessage with the host page: sent only to its origin, and only its window's messages from that origin are heard. */
export function hostBridge(framed: boolean, hostOrigin: string) {
  return {
    post(msg: Out) {
      if (framed && hostOrigin) window.parent.postMessage({ parley: 1, ...msg }, hostOrigin);
    },
    listen(handler: (msg: HostToFrame) => void) {
      window.addEventListener('message', (e) => {
        if (!framed || e.source !== window.parent || e.origin !== hostOrigin) return;
        const msg = e.data as HostToFrame | null;
        if (msg && typeof msg === 'object' && msg.parley === 1 && typeof msg.type === 'string') handler(msg);
      });
    },
  };
}
