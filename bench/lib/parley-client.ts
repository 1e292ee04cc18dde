/**
 * Minimal real Socket.IO / HTTP clients for Parley (same protocol as tests/helpers/clients.ts,
 * lighter: bounded inboxes, no history kept beyond what a waiter may still need).
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { ChatMessage } from '../../domain/messages.js';

export type AnySocket = Socket;

export async function http<T = any>(baseUrl: string, method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → HTTP ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

export function connect(baseUrl: string, auth: Record<string, unknown>, timeoutMs = 20_000): Promise<AnySocket> {
  const socket = io(baseUrl, { path: '/socket.io', auth, transports: ['websocket'], reconnection: true, forceNew: true, timeout: timeoutMs });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { socket.close(); reject(new Error('socket connect timed out')); }, timeoutMs);
    socket.once('connect', () => { clearTimeout(timer); resolve(socket); });
    socket.once('connect_error', (err) => { clearTimeout(timer); socket.close(); reject(err); });
  });
}

export async function emitAck<T = any>(socket: AnySocket, event: string, payload: unknown, ms = 30_000): Promise<T> {
  const res = await socket.timeout(ms).emitWithAck(event, payload);
  if (res && res.ok === false) throw new Error(`${event}: ${res.error?.code} ${res.error?.message}`);
  return res as T;
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
  const session = await http<{ token: string; visitorId: string }>(apiUrl, 'POST', '/api/visitor/session', { body: { displayName } });
  const conversation = await http<{ id: string }>(apiUrl, 'POST', '/api/visitor/conversations', { token: session.token, body: {} });
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
    const res = await http<{ messages: ChatMessage[] }>(v.apiUrl, 'GET', `/api/conversations/${v.conversationId}/messages`, { token: v.token });
    for (const m of res.messages) v.inbox.deliver(m);
  }
}

export function visitorSend(v: VisitorHandle, text: string, choiceId?: string) {
  return emitAck(v.socket!, 'visitor:message', { clientId: randomUUID(), text, ...(choiceId ? { choiceId } : {}) });
}

export async function staffLogin(apiUrl: string, email: string, password: string) {
  const login = await http<{ token: string; user: { id: string; nickname: string } }>(apiUrl, 'POST', '/api/auth/login', { body: { email, password } });
  return { token: login.token, userId: login.user.id, name: login.user.nickname };
}

export const isBot = (m: ChatMessage) => m.sender === 'bot' || m.sender === 'system';
