/**
 * widget.js (issue 19): the one script a site adds. Vanilla TypeScript, no framework, built on its own
 * (web/vite.config.ts, `widgetBuilds`) to stay a few kB. It reads the channel's launcher settings, draws the
 * launcher in a Shadow DOM (the host page's CSS cannot reach it), and opens the chat in an iframe of the desk
 * (web/embed/), talking to it over postMessage with both origins checked. `window.Parley` is the SDK
 * (web/widget/parley.d.ts); calls made before this script ran are queued in `Parley.q` by the snippet.
 */
import type { FrameToHost, HostToFrame, PublicWidgetConfig } from '../../domain/widget';
import { currentPage } from '../visitor/pageInfo';
import { icon, launcherCss } from './launcher';

type Listener = (payload?: unknown) => void;
type Outgoing = HostToFrame extends infer M ? (M extends { parley: 1 } ? Omit<M, 'parley'> : never) : never;
interface Stub { q?: Array<[string, unknown[]]>; __parley?: boolean }
interface Settings { channel?: string; mode?: 'launcher' | 'inline'; target?: string | HTMLElement }

const w = window as unknown as { Parley?: Stub; ParleySettings?: Settings };

function boot() {
  if (w.Parley?.__parley) return; // the script was added twice
  const script = (document.currentScript as HTMLScriptElement | null)
    ?? document.querySelector<HTMLScriptElement>('script[data-parley-channel]') ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"]');
  if (!script?.src) return console.error('[Parley] widget.js could not find its own <script> tag.');
  const desk = new URL(script.src).origin;
  const settings = w.ParleySettings ?? {};
  const channel = settings.channel ?? script.dataset.parleyChannel ?? 'web';
  const mode = settings.mode ?? (script.dataset.parleyMode === 'inline' ? 'inline' : 'launcher');
  const target = settings.target ?? script.dataset.parleyTarget;

  const listeners: Record<string, Listener[]> = {};
  const emit = (name: string, payload?: unknown) => {
    for (const fn of listeners[name] ?? []) {
      try { fn(payload); } catch (err) { console.error('[Parley] a listener of', name, 'failed:', err); }
    }
  };
  /* What the host page keeps for a chat frame its browser denies storage (web/embed/frameStorage.ts). */
  const stateKey = `parley.widget.frame:${desk}:${channel}`;
  const readState = (): Record<string, string> => {
    try { return JSON.parse(localStorage.getItem(stateKey) ?? '{}') as Record<string, string>; } catch { return {}; }
  };
  let frame: HTMLIFrameElement | null = null;
  let ready = false;
  let open = false;
  let unread = 0;
  const outbox: Outgoing[] = [];
  let ui: {
    root: HTMLElement; launcher: HTMLButtonElement | null; badge: HTMLElement | null; status: HTMLElement | null; state: HTMLElement | null;
    panel: HTMLElement; color: string; label: string;
  } | null = null;

  const send = (msg: Outgoing) => {
    // Until the frame said it is ready (it loads after the host page's load event), calls wait here.
    if (!ready || !frame?.contentWindow) return void outbox.push(msg);
    frame.contentWindow.postMessage({ parley: 1, ...msg }, desk);
  };

  function setUnread(count: number) {
    unread = Math.max(0, count | 0);
    if (ui?.badge) {
      ui.badge.textContent = unread > 99 ? '99+' : String(unread);
      ui.badge.hidden = unread === 0;
    }
    ui?.launcher?.setAttribute('data-unread', String(unread));
  }

  /**
   * The channel's availability as the chat's frame tells it, in the chat's language: a dot on the icon and the
   * state under the label ("Online"), the whole text ("Online · Typically replies in 3 minutes") as tooltip and
   * at the end of the accessible name.
   */
  function setAvailability(status: unknown, state: unknown, text: unknown) {
    const button = ui?.launcher;
    if (!button || !ui?.status || !ui.state) return;
    const known = status === 'online' || status === 'away' || status === 'offline';
    const words = known ? String(text).slice(0, 200) : '';
    ui.status.className = `status ${known ? status : ''}`;
    ui.status.hidden = ui.state.hidden = !known;
    ui.state.textContent = known ? String(state).slice(0, 60) : '';
    button.setAttribute('data-availability', known ? status : '');
    button.setAttribute('aria-label', words ? `${ui.label} · ${words}` : ui.label);
    if (words) button.title = words;
    else button.removeAttribute('title');
  }

  function setOpen(next: boolean, tellFrame: boolean) {
    if (mode === 'inline' || !ui || next === open) return;
    open = next;
    if (next) createFrame();
    ui.panel.hidden = !next;
    ui.root.classList.toggle('open', next);
    ui.launcher?.setAttribute('aria-expanded', String(next));
    if (tellFrame) send({ type: next ? 'open' : 'close' });
    if (next) frame?.focus();
    else if (tellFrame) ui.launcher?.focus();
    emit(next ? 'opened' : 'closed');
  }

  function createFrame() {
    if (frame || !ui) return;
    frame = document.createElement('iframe');
    const q = new URLSearchParams({ channel, origin: location.origin, mode, color: ui.color });
    frame.src = `${desk}/embed/?${q}`;
    frame.title = ui.label;
    frame.setAttribute('allow', 'clipboard-write');
    frame.className = 'frame';
    ui.panel.append(frame);
  }

  function onFrameMessage(e: MessageEvent) {
    if (e.origin !== desk || !frame || e.source !== frame.contentWindow) return;
    const msg = e.data as FrameToHost;
    if (!msg || msg.parley !== 1) return;
    switch (msg.type) {
      case 'ready':
        ready = true;
        frame.contentWindow!.postMessage({ parley: 1, type: 'host', page: currentPage() ?? null, mode, state: readState() }, desk);
        // In the order the page called them: an identify before an open must reach the frame first.
        for (const m of outbox.splice(0)) send(m);
        if (open) send({ type: 'open' });
        emit('ready');
        break;
      case 'open': setOpen(true, false); break;
      case 'close': setOpen(false, false); break;
      case 'unread':
        setUnread(msg.count);
        emit('unread', { count: unread });
        break;
      case 'message': emit('message', msg.message); break;
      case 'availability': setAvailability(msg.status, msg.state, msg.text); break;
      case 'conversationEnded': emit('conversationEnded', { conversationId: msg.conversationId }); break;
      case 'store': {
        if (typeof msg.key !== 'string' || !msg.key.startsWith('parley.') || msg.key.length > 100 || (msg.value !== null && String(msg.value).length > 4096)) break;
        const state = readState();
        if (msg.value === null) delete state[msg.key];
        else if (Object.keys(state).length < 20 || msg.key in state) state[msg.key] = String(msg.value);
        try { localStorage.setItem(stateKey, JSON.stringify(state)); } catch { /* the host's storage is blocked too: this page only */ }
        break;
      }
      case 'identified':
        emit('identified', { identity: msg.identity });
        break;
      case 'error':
        console.error(`[Parley] ${msg.message}`);
        emit('error', { code: msg.code, message: msg.message });
        break;
    }
  }

  /* ---- single-page apps: a page view on every history navigation ---- */
  let lastUrl = location.href;
  const trackPage = () => {
    if (location.href === lastUrl) return;
    lastUrl = location.href;
    const page = currentPage();
    if (page) send({ type: 'pageView', page });
  };
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      setTimeout(trackPage, 0);
      return result;
    };
  }
  addEventListener('popstate', trackPage);

  const sdk = {
    __parley: true,
    q: [] as Array<[string, unknown[]]>,
    identify(user: Extract<HostToFrame, { type: 'identify' }>['user'], options?: { hash?: string }) {
      if (!user || typeof user.id !== 'string') return console.error('[Parley] identify needs a user with a string id.');
      send({ type: 'identify', user, ...(options?.hash ? { hash: options.hash } : {}) });
    },
    open: () => setOpen(true, true),
    close: () => setOpen(false, true),
    toggle: () => setOpen(!open, true),
    setLocale: (locale: string) => send({ type: 'setLocale', locale: String(locale) }),
    setAttributes: (attributes: Record<string, string>) => send({ type: 'setAttributes', attributes }),
    track(event: 'pageView' = 'pageView') {
      if (event !== 'pageView') return;
      const page = currentPage();
      if (page) send({ type: 'pageView', page });
    },
    on(name: string, fn: Listener) {
      (listeners[name] ??= []).push(fn);
      if (name === 'ready' && ready) fn();
      return () => sdk.off(name, fn);
    },
    off(name: string, fn: Listener) {
      listeners[name] = (listeners[name] ?? []).filter((f) => f !== fn);
    },
    isOpen: () => open,
    unreadCount: () => unread,
  };
  const queued = w.Parley?.q ?? [];
  w.Parley = sdk;

  let host: HTMLElement | null = null;
  /** A launcher is wanted (settings known, origin allowed); it is drawn once the page has a body (or the inline target). */
  let wanted = false;
  function show(config: PublicWidgetConfig) {
    if (wanted) return;
    wanted = true;
    const draw = () => { if (wanted && !host) mount(config); };
    if (document.body && (mode !== 'inline' || document.readyState !== 'loading')) draw();
    else document.addEventListener('DOMContentLoaded', draw, { once: true });
  }
  function unmount() {
    wanted = false;
    host?.remove();
    host = null;
    ui = null;
    frame = null;
    ready = false;
    removeEventListener('message', onFrameMessage);
  }

  function mount(config: PublicWidgetConfig) {
    const el = document.createElement('parley-widget');
    host = el;
    // Inline !important beats any host stylesheet, so the host cannot move or hide the launcher by accident.
    for (const [k, v] of Object.entries({ all: 'initial', position: mode === 'inline' ? 'static' : 'fixed', 'z-index': '2147483000', display: 'block' })) el.style.setProperty(k, v, 'important');
    const shadow = el.attachShadow({ mode: 'open' });
    const css = launcherCss(config, mode);
    if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      const style = document.createElement('style');
      style.textContent = css;
      shadow.append(style);
    }
    const root = document.createElement('div');
    root.className = `root ${config.position} mode-${mode}`;
    const panel = document.createElement('div');
    panel.className = 'panel';
    panel.setAttribute('part', 'panel');
    let launcher: HTMLButtonElement | null = null;
    let badge: HTMLElement | null = null;
    let status: HTMLElement | null = null;
    let state: HTMLElement | null = null;
    if (mode === 'launcher') {
      panel.hidden = true;
      launcher = document.createElement('button');
      launcher.type = 'button';
      launcher.className = 'launcher';
      launcher.setAttribute('aria-label', config.label);
      launcher.setAttribute('aria-expanded', 'false');
      launcher.setAttribute('part', 'launcher');
      launcher.append(icon(config.icon, 'i-main'), icon('close', 'i-close'));
      const texts = document.createElement('span');
      texts.className = 'texts';
      const label = document.createElement('span');
      label.className = 'label';
      label.textContent = config.label;
      state = document.createElement('span');
      state.className = 'state';
      state.setAttribute('aria-hidden', 'true'); // said by the accessible name
      state.hidden = true;
      texts.append(label, ' ', state); // (a space: the visible text reads "Chat with us Online", as the accessible name does)
      // The channel's availability (online / away / offline), once the chat's frame has told it.
      status = document.createElement('span');
      status.className = 'status';
      status.setAttribute('part', 'status');
      status.setAttribute('aria-hidden', 'true');
      status.hidden = true;
      badge = document.createElement('span');
      badge.className = 'badge';
      badge.setAttribute('aria-hidden', 'true');
      badge.hidden = true;
      launcher.append(texts, status, badge);
      launcher.addEventListener('click', () => setOpen(!open, true));
      root.append(panel, launcher);
    } else {
      root.append(panel);
    }
    shadow.append(root);
    ui = { root, launcher, badge, status, state, panel, color: config.color, label: config.label };
    const where = mode === 'inline' ? (typeof target === 'string' ? document.querySelector<HTMLElement>(target) : target) : document.body;
    if (!where) {
      ui = null;
      return console.error(`[Parley] inline mode: no element matches ${typeof target === 'string' ? target : 'the given target'}.`);
    }
    where.append(el);
    performance.mark?.('parley:launcher'); // when the launcher (or inline chat) is in the page: the bench reads it
    addEventListener('message', onFrameMessage);
    // The chat's frame loads once the host page has (never delaying its load event), or at once when inline.
    if (mode === 'inline') createFrame();
    else if (document.readyState === 'complete') setTimeout(createFrame, 0);
    else addEventListener('load', () => setTimeout(createFrame, 0), { once: true });
    for (const [name, args] of queued) (sdk as unknown as Record<string, (...a: unknown[]) => void>)[name]?.(...args);
  }

  /*
   * The settings of the last visit draw the launcher at once (a returning page needs no round trip first);
   * the desk's answer then refreshes them, or takes the launcher away when this origin is no longer allowed.
   */
  const cacheKey = `parley.widget:${desk}:${channel}`;
  const settle = (config: PublicWidgetConfig) => {
    try { localStorage.setItem(cacheKey, JSON.stringify(config)); } catch { /* storage blocked */ }
    if (!config.originAllowed) {
      unmount();
      throw new Error(`this site (${location.origin}) is not allowed to embed the chat of channel "${channel}". `
        + `An admin of ${desk} can add it under Admin → Widget → Allowed origins.`);
    }
    show(config);
  };
  const report = (err: unknown) => console.error(`[Parley] ${err instanceof Error ? err.message : String(err)}`);

  // widget.js?channel=… came with the channel's look (api/http/widget-assets.ts): no round trip at all.
  const preloaded = (window as unknown as { ParleyPreload?: Record<string, PublicWidgetConfig> }).ParleyPreload?.[channel];
  if (preloaded) {
    try { settle(preloaded); } catch (err) { report(err); }
    return;
  }
  let cached: PublicWidgetConfig | null = null;
  try { cached = JSON.parse(localStorage.getItem(cacheKey) ?? 'null') as PublicWidgetConfig | null; } catch { /* storage blocked */ }
  if (cached?.originAllowed) show(cached);

  fetch(`${desk}/api/widget/${encodeURIComponent(channel)}`, { credentials: 'omit' })
    .then(async (res) => {
      if (res.status === 404) throw new Error(`the desk ${desk} has no channel "${channel}" (data-parley-channel).`);
      if (!res.ok) throw new Error(`the desk ${desk} answered ${res.status}; the chat is not shown.`);
      settle((await res.json()) as PublicWidgetConfig);
    })
    .catch(report);
}

boot();
