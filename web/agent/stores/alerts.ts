import { computed, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import { useSessionStore } from './session';
import { useOffersStore } from './offers';
import { useTransfersStore } from './transfers';
import { useConversationsStore } from './conversations';
import { useNoticesStore } from './notices';
import { agentsApi } from '../../common/api';
import { errorMessage } from '../../common/errors';
import { ALERT_TEXTS, STAFF_APPS } from '../../common/labels';
import type { AlertKind, AlertPreferences, AlertPreferencesPatch } from '../../../domain/alerts';
import type { ChatMessage } from '../../../domain/messages';
import type { NoteMentionEvent, OfferEvent, TransferRequestEvent } from '../../../domain/contracts/events';

export type DesktopPermission = NotificationPermission | 'unsupported';

/** Everything on until the agent's own switches are loaded (the server's defaults are the same). */
const ALL_ON = (): AlertPreferences => ({ kinds: { offer: true, message: true, transfer: true, mention: true }, sound: true, desktop: true });
const withPatch = (p: AlertPreferences, patch: AlertPreferencesPatch): AlertPreferences =>
  ({ kinds: { ...p.kinds, ...patch.kinds }, sound: patch.sound ?? p.sound, desktop: patch.desktop ?? p.desktop });

/** A short two-note tone per kind (Hz), made with the Web Audio API: no sound file to download. */
const TONES: Record<AlertKind, [number, number]> = {
  offer: [880, 1320],
  transfer: [660, 990],
  mention: [990, 740],
  message: [740, 740],
};
/** Message ids already alerted (a message can be delivered twice, e.g. after a reconnect). */
const REMEMBERED_MESSAGES = 500;

/**
 * Alerts: a sound and a desktop notification for a new offer, a visitor's message in a conversation the agent is
 * not looking at (or while the tab is hidden), a transfer request and a mention, each kind switchable (stored
 * server-side, GET/PUT /api/me/preferences/alerts); and the tab title's count of what waits for the agent.
 * Fed by the workbench's event table (eventTable.ts): offers and transfer requests before the stores that list them
 * (one shown again after a reconnect is already listed: no second alert), messages after the conversations store.
 */
export const useAlertsStore = defineStore('agent-alerts', () => {
  const session = useSessionStore();
  const offers = useOffersStore();
  const transfers = useTransfersStore();
  const conversations = useConversationsStore();
  const notices = useNoticesStore();

  const preferences = ref<AlertPreferences>(ALL_ON());
  const loaded = ref(false);
  const saving = ref(false);
  const permission = ref<DesktopPermission>(currentPermission());
  let audio: AudioContext | null = null;
  const alertedMessages: string[] = [];
  /** Open desktop notifications by what they are about, so they close when it ends. */
  const shown = new Map<string, Notification>();
  let started = false;

  const pendingCount = computed(() => {
    const unread = Object.values(conversations.unread).reduce((sum, n) => sum + n, 0);
    return offers.offers.length + transfers.transferRequests.length + unread;
  });

  function currentPermission(): DesktopPermission {
    return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
  }

  async function load() {
    try {
      preferences.value = await agentsApi.alertPreferences(session.api);
      loaded.value = true;
    } catch {
      /* the defaults stay until the next start */
    }
  }

  async function save(patch: AlertPreferencesPatch) {
    const before = preferences.value;
    preferences.value = withPatch(before, patch);
    saving.value = true;
    try {
      preferences.value = await agentsApi.saveAlertPreferences(session.api, patch);
      return true;
    } catch (err) {
      preferences.value = before;
      notices.notify(ALERT_TEXTS.couldNotSave(errorMessage(err)), 'error');
      return false;
    } finally {
      saving.value = false;
    }
  }

  /** Only from a click: browsers ask the person, never on load. */
  async function requestDesktopPermission() {
    if (typeof Notification === 'undefined') return;
    try {
      permission.value = await Notification.requestPermission();
    } catch {
      permission.value = currentPermission();
    }
  }

  /** Browsers start audio only after a gesture: the first click or key press in the workbench unlocks it. */
  function unlockAudio() {
    const ctx = audioContext();
    if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
  }

  function audioContext(): AudioContext | null {
    if (audio) return audio;
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return null;
    try {
      audio = new Ctor();
    } catch {
      return null;
    }
    return audio;
  }

  function playTone(kind: AlertKind) {
    const ctx = audioContext();
    if (!ctx) return;
    if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
    const [first, second] = TONES[kind];
    const t = ctx.currentTime;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(first, t);
    osc.frequency.setValueAtTime(second, t + 0.12);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
    osc.connect(gain);
    gain.connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.32);
  }

  function showDesktop(about: string, title: string, body: string, onClick?: () => void) {
    if (!preferences.value.desktop || permission.value !== 'granted' || typeof Notification === 'undefined') return;
    try {
      shown.get(about)?.close();
      const n = new Notification(title, { body, tag: about });
      n.onclick = () => {
        window.focus();
        onClick?.();
        n.close();
      };
      n.onclose = () => {
        if (shown.get(about) === n) shown.delete(about);
      };
      shown.set(about, n);
    } catch {
      /* some browsers allow notifications only from a service worker */
    }
  }

  function closeDesktop(about: string) {
    shown.get(about)?.close();
    shown.delete(about);
  }

  function alert(kind: AlertKind, about: string, title: string, body: string, onClick?: () => void) {
    if (!preferences.value.kinds[kind]) return;
    if (preferences.value.sound) playTone(kind);
    showDesktop(about, title, body, onClick);
  }

  // ---- fed by the event table ----

  function offered(o: OfferEvent) {
    if (offers.offers.some((x) => x.conversationId === o.conversationId)) return;
    const body = [o.summary?.menuPath.join(' › '), o.summary?.firstMessage].filter(Boolean).join(' — ');
    alert('offer', `offer:${o.conversationId}`, ALERT_TEXTS.offerTitle(o.visitorName), body);
  }

  function messageReceived(m: ChatMessage) {
    if (m.sender !== 'visitor' || m.body.kind !== 'text' || alertedMessages.includes(m.id)) return;
    const c = conversations.conversations[m.conversationId];
    if (!c || !conversations.isHeld(c)) return;
    const background = m.conversationId !== conversations.activeId || document.visibilityState === 'hidden';
    if (!background) return;
    alertedMessages.push(m.id);
    if (alertedMessages.length > REMEMBERED_MESSAGES) alertedMessages.shift();
    alert('message', `conversation:${m.conversationId}`, ALERT_TEXTS.messageTitle(c.visitorName), m.body.text.slice(0, 160),
      () => conversations.select(m.conversationId));
  }

  function transferRequested(t: TransferRequestEvent) {
    if (transfers.transferRequests.some((x) => x.transferId === t.transferId)) return;
    alert('transfer', `transfer:${t.transferId}`, ALERT_TEXTS.transferTitle(t.fromAgentName), '');
  }

  function mentioned(n: NoteMentionEvent) {
    if (preferences.value.kinds.mention) notices.notify(ALERT_TEXTS.mentionToast(n.authorName, n.excerpt), 'info', `mention:${n.conversationId}`);
    alert('mention', `mention:${n.conversationId}`, ALERT_TEXTS.mentionTitle(n.authorName), n.excerpt,
      () => void conversations.open(n.conversationId));
  }

  // ---- stale alerts go when their state ends ----

  watch(() => offers.offers.map((o) => o.conversationId), (now, before) => {
    for (const id of before ?? []) if (!now.includes(id)) closeDesktop(`offer:${id}`);
  });
  watch(() => transfers.transferRequests.map((t) => t.transferId), (now, before) => {
    for (const id of before ?? []) if (!now.includes(id)) closeDesktop(`transfer:${id}`);
  });
  watch(() => conversations.activeId, (id) => {
    if (id) closeDesktop(`conversation:${id}`);
  });

  // ---- the tab title ----

  function start() {
    started = true;
    permission.value = currentPermission();
    window.addEventListener('pointerdown', unlockAudio, { once: true });
    window.addEventListener('keydown', unlockAudio, { once: true });
    void load();
  }

  // After the app's own title watcher (staffApp.ts), so a language switch keeps the count.
  watch([pendingCount, () => STAFF_APPS.agent.documentTitle], ([count, base]) => {
    if (started) document.title = ALERT_TEXTS.tabTitle(count, base);
  }, { flush: 'post' });

  function stop() {
    for (const n of shown.values()) n.close();
    shown.clear();
    if (started) document.title = STAFF_APPS.agent.documentTitle;
    started = false;
    window.removeEventListener('pointerdown', unlockAudio);
    window.removeEventListener('keydown', unlockAudio);
  }

  return {
    preferences, loaded, saving, permission, pendingCount,
    start, stop, load, save, requestDesktopPermission,
    offered, messageReceived, transferRequested, mentioned,
  };
});
