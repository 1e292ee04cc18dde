/**
 * Minimal real Socket.IO / HTTP clients for Parley (same protocol as tests/helpers/clients.ts,
 * lighter: bounded inboxes, no history kept beyond what a waiter may still need).
 */
import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '../../domain/messages.js';
import { operations } from '../../client/operations.js';
import { restClient, type Method } from '../../client/rest.js';
import { ack, connected, socketClient, type AckOk, type ClientEvent, type ParleySocket, type PayloadOf } from '../../client/socket.js';

export type AnySocket = ParleySocket;

/** One request over the typed client's transport; anything but 2xx throws (with the status and the body's start). */
export async function http<T = any>(baseUrl: string, method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const res = await restClient(baseUrl).send<T>(method as Method, path, { token: opts.token, body: opts.body });
  if (res.status >= 300) throw new Error(`${method} ${path} → HTTP ${res.status}: ${JSON.stringify(res.body)?.slice(0, 300)}`);
  return res.body;
}

/** A socket with `auth` as given (the relay baseline takes other fields than a token). */
export async function connect(baseUrl: string, auth: Record<string, unknown>, timeoutMs = 20_000): Promise<AnySocket> {
  const socket = socketClient(baseUrl, undefined, { auth, reconnection: true, forceNew: true, timeout: timeoutMs });
  try {
    return await connected(socket, timeoutMs);
  } catch (err) {
    socket.close();
    throw err;
  }
}

/** Emits and resolves with the `{ ok: true }` ack; an error ack throws `<event>: <code> <message>`. */
export async function emitAck<E extends ClientEvent>(socket: AnySocket, event: E, payload: PayloadOf<E>, ms = 30_000): Promise<AckOk<E>> {
  const res = await ack(socket, event, payload, ms);
  if (res && res.ok === false) throw new Error(`${event}: ${res.error?.code} ${res.error?.message}`);
  return res as AckOk<E>;
}

type Waiter = { pred: (m: ChatMessage) => boolean; resolve: (m: ChatMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/** Chat messages of one socket: waiters see messages that arrived before they were registered too. */
export class Inbox {
  private readonly recent: ChatMessage[] = [];
  private readonly ids = new Set<string>();
  private waiters: Waiter[] = [];
  /** Called for every new message (after waiters). */
  onMessage: ((m: ChatMessage) => void) | null = null;

  constructor(private readonly keep = 64) {}

  deliver(m: ChatMessage): void {
    if (this.ids.has(m.id)) return;
    this.ids.add(m.id);
    this.recent.push(m);
    if (this.recent.length > this.keep) this.ids.delete(this.recent.shift()!.id);
    for (const w of this.waiters) {
      if (w.pred(m)) {
        clearTimeout(w.timer);
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(m);
        break;
      }
    }
    this.onMessage?.(m);
  }

  waitFor(pred: (m: ChatMessage) => boolean, ms = 30_000, what = 'message'): Promise<ChatMessage> {
    const hit = this.recent.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        pred, resolve, reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          const seen = this.recent.slice(-6).map((m) => `${m.sender}:${m.body.kind}`).join(', ');
          reject(new Error(`timed out after ${ms} ms waiting for ${what}; last seen: ${seen}`));
        }, ms),
      };
      this.waiters.push(w);
    });
  }

  lastSeq(): number {
    return this.recent.reduce((a, m) => Math.max(a, m.seq), 0);
  }

  close(): void {
    for (const w of this.waiters) { clearTimeout(w.timer); w.reject(new Error('closed')); }
    this.waiters = [];
  }
}

export interface VisitorHandle {
  token: string;
  visitorId: string;
  conversationId: string;
  apiUrl: string;
  socket: AnySocket | null;
  inbox: Inbox;
}

/** Visitor session + conversation over HTTP, then the socket and the stored history. */
export async function openVisitor(apiUrl: string, displayName: string): Promise<VisitorHandle> {
  const rest = restClient(apiUrl);
  const session = await rest.call(operations.createVisitorSession, { body: { displayName } });
  const conversation = await rest.call(operations.startConversation, { token: session.token, body: {} });
  const v: VisitorHandle = { token: session.token, visitorId: session.visitorId, conversationId: conversation.id, apiUrl, socket: null, inbox: new Inbox() };
  await connectVisitor(v);
  return v;
}

/** (Re)connects a visitor's socket and merges the stored transcript, like the visitor app. */
export async function connectVisitor(v: VisitorHandle, loadHistory = true): Promise<void> {
  const socket = await connect(v.apiUrl, { token: v.token });
  v.socket = socket;
  socket.on('message', (m: ChatMessage) => v.inbox.deliver(m));
  if (loadHistory) {
    const res = await restClient(v.apiUrl).call(operations.listMessages, { params: { id: v.conversationId }, token: v.token });
    for (const m of res.messages) v.inbox.deliver(m);
  }
}

export function visitorSend(v: VisitorHandle, text: string, choiceId?: string) {
  return emitAck(v.socket!, 'visitor:message', { clientId: randomUUID(), text, ...(choiceId ? { choiceId } : {}) });
}

export async function staffLogin(apiUrl: string, email: string, password: string) {
  const login = await restClient(apiUrl).call(operations.login, { body: { email, password } });
  return { token: login.token, userId: login.user.id, name: login.user.nickname };
}

export const isBot = (m: ChatMessage) => m.sender === 'bot' || m.sender === 'system';
