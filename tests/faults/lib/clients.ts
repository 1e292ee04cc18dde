/**
 * Clients that behave like Parley's real apps while processes die under them: every request is
 * retried until it is answered (a chat message with the SAME clientId until it is acknowledged),
 * sockets reconnect by themselves and reload the transcript after every (re)connect.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { ConversationSummary } from '../../../shared/conversation.js';
import type { TransferRequestEvent } from '../../../shared/events.js';
import type { ChatMessage } from '../../../shared/messages.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const backoff = (attempt: number) => Math.min(2_000, 150 * 1.6 ** attempt) * (0.75 + Math.random() * 0.5);

/** An answer retrying will not change (conflict, forbidden, bad request...). */
export class Refused extends Error {
  constructor(readonly code: string, message: string) { super(message); }
}
/** A step did not happen within its time: the conversation is reported stuck. */
export class Stuck extends Error {}

export interface AckedMessage {
  conversationId: string;
  clientId: string;
  /** The stored message's id, as the ack returned it: the id the workflow is signalled with. */
  messageId: string;
  sender: 'visitor' | 'agent';
  via: 'socket' | 'rest';
  attempts: number;
  text: string;
}

/** What the clients share with the runner: the record of acknowledged messages and a log. */
export interface ClientWorld {
  acked: AckedMessage[];
  stats: { sendAttempts: number; sendRetries: number; liveMessages: number; historyMessages: number; reconnects: number; refusedSends: number };
  log(line: string): void;
}

interface HttpAnswer { status: number; body: any }

async function call(baseUrl: string, method: string, path: string, opts: { token?: string; body?: unknown; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  let body: unknown = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  return { status: res.status, body };
}

/**
 * One HTTP request, retried on network errors, timeouts, 5xx and 429 until `deadline`. Other 4xx
 * answers are final (Refused). `bases` rotate per attempt (the admin console may use any API).
 */
export async function request<T = any>(what: string, bases: string | string[], method: string, path: string, opts: { token?: string; body?: unknown; deadline: number; log?: (line: string) => void }): Promise<T> {
  const urls = Array.isArray(bases) ? bases : [bases];
  let attempt = 0;
  let last = 'no attempt';
  while (Date.now() < opts.deadline) {
    const base = urls[attempt % urls.length];
    attempt++;
    try {
      const r = await call(base, method, path, { token: opts.token, body: opts.body, timeoutMs: Math.max(1_000, Math.min(10_000, opts.deadline - Date.now())) });
      if (r.status >= 200 && r.status < 300) return r.body as T;
      const msg = `HTTP ${r.status} ${r.body?.error?.code ?? ''} ${r.body?.error?.message ?? JSON.stringify(r.body)?.slice(0, 200)}`;
      if (r.status < 500 && r.status !== 429) throw new Refused(r.body?.error?.code ?? String(r.status), `${what}: ${msg}`);
      last = msg;
    } catch (err) {
      if (err instanceof Refused) throw err;
      last = errText(err);
    }
    opts.log?.(`${what}: attempt ${attempt} failed: ${last}`);
    await sleep(backoff(attempt));
  }
  throw new Stuck(`${what}: no answer after ${attempt} attempts (last: ${last})`);
}

type AnySocket = Socket;
type AckResult = { ok: true; [k: string]: any } | { ok: false; error: { code: string; message: string } };

/** A Socket.IO connection that keeps coming back and tells its owner each time it (re)connected. */
function liveSocket(world: ClientWorld, baseUrl: string, token: string, name: string, onConnect: () => void): AnySocket {
  const socket = io(baseUrl, {
    path: '/socket.io', auth: { token }, transports: ['websocket'], forceNew: true,
    reconnection: true, reconnectionDelay: 250, reconnectionDelayMax: 2_000, timeout: 5_000,
  });
  let connectedOnce = false;
  socket.on('connect', () => {
    if (connectedOnce) world.stats.reconnects++;
    connectedOnce = true;
    onConnect();
  });
  // A refusal by the server's middleware (e.g. "connection setup failed" while PostgreSQL restarts)
  // is not retried by socket.io itself: a real app tries again.
  socket.on('connect_error', (err) => {
    if (!socket.active) {
      world.log(`${name}: socket refused (${err.message}); retrying`);
      setTimeout(() => { if (!socket.connected && !closed.has(socket)) socket.connect(); }, 1_000);
    }
  });
  return socket;
}
const closed = new WeakSet<AnySocket>();

/** Waits until the socket is connected (or `ms` passed). */
async function connected(socket: AnySocket, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!socket.connected && Date.now() < until) await sleep(50);
  return socket.connected;
}

/**
 * Emits with an ack, retried until answered. Retried: no ack in time, `internal`, `rate_limited`
 * and the codes in `retryCodes` (while `retryCodesUntil`). Any other error code is final.
 */
async function emitRetry(socket: AnySocket, what: string, event: string, payload: unknown, opts: { deadline: number; retryCodes?: string[]; retryCodesUntil?: number; log?: (line: string) => void }): Promise<AckResult & { ok: true }> {
  let attempt = 0;
  let last = 'no attempt';
  while (Date.now() < opts.deadline) {
    attempt++;
    if (await connected(socket, Math.min(5_000, opts.deadline - Date.now()))) {
      try {
        const res = (await socket.timeout(12_000).emitWithAck(event, payload)) as AckResult;
        if (res.ok) return res;
        const retryable = res.error.code === 'internal' || res.error.code === 'rate_limited'
          || (opts.retryCodes?.includes(res.error.code) && Date.now() < (opts.retryCodesUntil ?? 0));
        if (!retryable) throw new Refused(res.error.code, `${what}: ${res.error.code} ${res.error.message}`);
        last = `${res.error.code} ${res.error.message}`;
      } catch (err) {
        if (err instanceof Refused) throw err;
        last = errText(err);
      }
    } else {
      last = 'not connected';
    }
    opts.log?.(`${what}: attempt ${attempt} failed: ${last}`);
    await sleep(backoff(attempt));
  }
  throw new Stuck(`${what}: no ack after ${attempt} attempts (last: ${last})`);
}

/** Chat messages of one client, per conversation, from live events and transcript reloads. */
class Transcript {
  private readonly byConversation = new Map<string, Map<string, ChatMessage>>();
  private wake: Array<() => void> = [];
  constructor(private readonly world: ClientWorld) {}

  add(m: ChatMessage, how: 'live' | 'history'): void {
    let map = this.byConversation.get(m.conversationId);
    if (!map) this.byConversation.set(m.conversationId, (map = new Map()));
    if (map.has(m.id)) return;
    map.set(m.id, m);
    if (how === 'live') this.world.stats.liveMessages++;
    else this.world.stats.historyMessages++;
    for (const w of this.wake.splice(0)) w();
  }

  list(conversationId: string): ChatMessage[] {
    return [...(this.byConversation.get(conversationId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  /** The first message matching `pred`; reloads the transcript every `pollMs` in case a live event was lost. */
  async waitFor(conversationId: string, pred: (m: ChatMessage) => boolean, ms: number, what: string, reload: () => Promise<void>, pollMs = 3_000): Promise<ChatMessage> {
    const deadline = Date.now() + ms;
    let nextPoll = Date.now() + pollMs;
    for (;;) {
      const hit = this.list(conversationId).find(pred);
      if (hit) return hit;
      const now = Date.now();
      if (now >= deadline) {
        const seen = this.list(conversationId).slice(-5).map((m) => `${m.sender}:${m.body.kind}${'text' in m.body ? `(${m.body.text.slice(0, 40)})` : ''}`).join(', ');
        throw new Stuck(`timed out after ${ms} ms waiting for ${what}; last seen: ${seen}`);
      }
      if (now >= nextPoll) {
        nextPoll = now + pollMs;
        await reload().catch(() => undefined);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(nextPoll, deadline) - now);
        this.wake.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }
}

export type SendResult = { acked: true; message: ChatMessage; clientId: string } | { acked: false; clientId: string; reason: string };

/**
 * Sends one chat message until acknowledged: the same clientId every attempt, over the socket when
 * it is connected (ack `{ ok: true }`), else over REST (201).
 */
async function sendUntilAcked(
  world: ClientWorld, who: { sender: 'visitor' | 'agent'; name: string; socket: AnySocket; baseUrl: string; token: string },
  conversationId: string, event: string, payload: Record<string, unknown>, deadline: number,
  opts: { preferRest?: boolean; retryForbiddenUntil?: number } = {},
): Promise<SendResult> {
  const clientId = randomUUID();
  const text = String(payload.text);
  let attempt = 0;
  let last = 'no attempt';
  while (Date.now() < deadline) {
    attempt++;
    world.stats.sendAttempts++;
    if (attempt > 1) world.stats.sendRetries++;
    const useSocket = !opts.preferRest && who.socket.connected;
    let via: 'socket' | 'rest' = useSocket ? 'socket' : 'rest';
    try {
      let message: ChatMessage | null = null;
      if (useSocket) {
        const res = (await who.socket.timeout(8_000).emitWithAck(event, { ...payload, clientId })) as AckResult;
        if (res.ok) message = res.message as ChatMessage;
        else if (res.error.code === 'internal' || res.error.code === 'rate_limited' || (res.error.code === 'forbidden' && Date.now() < (opts.retryForbiddenUntil ?? 0))) last = `${res.error.code} ${res.error.message}`;
        else throw new Refused(res.error.code, res.error.message);
      } else {
        via = 'rest';
        const { conversationId: _omit, ...body } = payload;
        const r = await call(who.baseUrl, 'POST', `/api/conversations/${conversationId}/messages`, { token: who.token, body: { ...body, clientId }, timeoutMs: 8_000 });
        if (r.status === 201) message = r.body.message as ChatMessage;
        else if (r.status >= 500 || r.status === 429 || (r.status === 403 && Date.now() < (opts.retryForbiddenUntil ?? 0))) last = `HTTP ${r.status} ${r.body?.error?.message ?? ''}`;
        else throw new Refused(r.body?.error?.code ?? String(r.status), `HTTP ${r.status} ${r.body?.error?.message ?? ''}`);
      }
      if (message) {
        if (message.clientId !== clientId || message.conversationId !== conversationId) {
          throw new Error(`ack for ${clientId} carried message ${message.id} with clientId ${message.clientId} in ${message.conversationId}`);
        }
        world.acked.push({ conversationId, clientId, messageId: message.id, sender: who.sender, via, attempts: attempt, text });
        return { acked: true, message, clientId };
      }
    } catch (err) {
      if (err instanceof Refused) {
        world.stats.refusedSends++;
        world.log(`${who.name}: message "${text}" refused (${err.code}: ${err.message})`);
        return { acked: false, clientId, reason: `${err.code}: ${err.message}` };
      }
      last = errText(err);
    }
    world.log(`${who.name}: "${text}" attempt ${attempt} (${via}) not acknowledged: ${last}`);
    await sleep(backoff(attempt));
  }
  return { acked: false, clientId, reason: `no ack after ${attempt} attempts (last: ${last})` };
}

export class VisitorClient {
  readonly transcript: Transcript;
  socket!: AnySocket;
  token = '';
  visitorId = '';
  conversationId = '';

  private constructor(private readonly world: ClientWorld, readonly baseUrl: string, readonly name: string) {
    this.transcript = new Transcript(world);
  }

  /** A visitor opening the chat: a session, the open conversation (or a new one), a socket, the transcript. */
  static async open(world: ClientWorld, baseUrl: string, name: string, deadline: number): Promise<VisitorClient> {
    const v = new VisitorClient(world, baseUrl, name);
    const session = await request<{ token: string; visitorId: string }>(`${name}: session`, baseUrl, 'POST', '/api/visitor/session', { body: { displayName: name }, deadline, log: world.log });
    v.token = session.token;
    v.visitorId = session.visitorId;
    // Retrying is safe: the visitor's open conversation comes back instead of a second one.
    const c = await request<ConversationSummary>(`${name}: start conversation`, baseUrl, 'POST', '/api/visitor/conversations', { token: v.token, body: {}, deadline, log: world.log });
    v.conversationId = c.id;
    v.socket = liveSocket(world, baseUrl, v.token, name, () => { void v.reload().catch(() => undefined); });
    v.socket.on('message', (m: ChatMessage) => { if (m.conversationId === v.conversationId) v.transcript.add(m, 'live'); });
    await v.reload().catch(() => undefined);
    return v;
  }

  async reload(): Promise<void> {
    const r = await call(this.baseUrl, 'GET', `/api/conversations/${this.conversationId}/messages`, { token: this.token, timeoutMs: 5_000 });
    if (r.status === 200) for (const m of r.body.messages as ChatMessage[]) this.transcript.add(m, 'history');
  }

  messages(): ChatMessage[] { return this.transcript.list(this.conversationId); }

  waitFor(pred: (m: ChatMessage) => boolean, ms: number, what: string): Promise<ChatMessage> {
    return this.transcript.waitFor(this.conversationId, pred, ms, `${this.name}: ${what}`, () => this.reload());
  }

  send(text: string, deadline: number, opts: { choiceId?: string; preferRest?: boolean } = {}): Promise<SendResult> {
    return sendUntilAcked(this.world, { sender: 'visitor', name: this.name, socket: this.socket, baseUrl: this.baseUrl, token: this.token },
      this.conversationId, 'visitor:message', { text, ...(opts.choiceId ? { choiceId: opts.choiceId } : {}) }, deadline, { preferRest: opts.preferRest });
  }

  /** Rates with one requestId, retried until answered: 'ok', or the refusal (e.g. the window closed). */
  async rate(score: number, deadline: number, opts: { comment?: string; preferRest?: boolean } = {}): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
    const requestId = randomUUID();
    const payload = { score, requestId, ...(opts.comment ? { comment: opts.comment } : {}) };
    try {
      if (opts.preferRest) await request(`${this.name}: rate`, this.baseUrl, 'POST', `/api/conversations/${this.conversationId}/rating`, { token: this.token, body: payload, deadline, log: this.world.log });
      else await emitRetry(this.socket, `${this.name}: rate`, 'visitor:rate', payload, { deadline, log: this.world.log });
      return { ok: true };
    } catch (err) {
      if (err instanceof Refused) return { ok: false, code: err.code, message: err.message };
      throw err;
    }
  }

  /** Ends the conversation; 'already' when it was closed before (e.g. an earlier attempt went through). */
  async close(deadline: number): Promise<'ok' | 'already'> {
    try {
      await emitRetry(this.socket, `${this.name}: close`, 'visitor:close', {}, { deadline, log: this.world.log });
      return 'ok';
    } catch (err) {
      if (err instanceof Refused && err.code === 'conflict') return 'already';
      throw err;
    }
  }

  summary(deadline: number): Promise<ConversationSummary> {
    return request<ConversationSummary>(`${this.name}: conversation`, this.baseUrl, 'GET', `/api/conversations/${this.conversationId}`, { token: this.token, deadline, log: this.world.log });
  }

  dispose(): void {
    closed.add(this.socket);
    this.socket.close();
  }
}

export class AgentClient {
  readonly transcript: Transcript;
  socket!: AnySocket;
  token = '';
  userId = '';
  offers = 0;
  accepted = 0;
  /** transfer:request events by conversation id. */
  readonly transferRequests = new Map<string, TransferRequestEvent>();
  private readonly ignoreOffersFor = new Set<string>();

  private constructor(private readonly world: ClientWorld, readonly baseUrl: string, readonly name: string) {
    this.transcript = new Transcript(world);
  }

  static async open(world: ClientWorld, baseUrl: string, email: string, password: string, deadline: number): Promise<AgentClient> {
    const a = new AgentClient(world, baseUrl, email.split('@')[0]);
    const login = await request<{ token: string; user: { id: string } }>(`${a.name}: login`, baseUrl, 'POST', '/api/auth/login', { body: { email, password }, deadline, log: world.log });
    a.token = login.token;
    a.userId = login.user.id;
    a.socket = liveSocket(world, baseUrl, a.token, a.name, () => undefined);
    a.socket.on('message', (m: ChatMessage) => a.transcript.add(m, 'live'));
    a.socket.on('offer', (o: { conversationId: string }) => { void a.onOffer(o.conversationId); });
    a.socket.on('transfer:request', (t: TransferRequestEvent) => { a.transferRequests.set(t.conversationId, t); });
    await emitRetry(a.socket, `${a.name}: online`, 'agent:status', { status: 'online' }, { deadline, log: world.log });
    return a;
  }

  private async onOffer(conversationId: string): Promise<void> {
    this.offers++;
    if (this.ignoreOffersFor.has(conversationId)) return;
    try {
      await emitRetry(this.socket, `${this.name}: accept`, 'agent:accept', { conversationId }, { deadline: Date.now() + 30_000, log: this.world.log });
      this.accepted++;
      this.socket.emit('conversation:watch', { conversationId }, () => undefined);
    } catch (err) {
      // Expired or taken meanwhile (the dispatcher offers it again): nothing to do.
      this.world.log(`${this.name}: accept ${conversationId.slice(0, 8)}: ${errText(err)}`);
    }
  }

  async reload(conversationId: string): Promise<void> {
    const r = await call(this.baseUrl, 'GET', `/api/conversations/${conversationId}/messages`, { token: this.token, timeoutMs: 5_000 });
    if (r.status === 200) for (const m of r.body.messages as ChatMessage[]) this.transcript.add(m, 'history');
  }

  waitFor(conversationId: string, pred: (m: ChatMessage) => boolean, ms: number, what: string): Promise<ChatMessage> {
    return this.transcript.waitFor(conversationId, pred, ms, `${this.name}: ${what}`, () => this.reload(conversationId));
  }

  /** Joins the conversation's room (after an accept, a transfer or a reconnect). */
  async watch(conversationId: string, deadline: number): Promise<void> {
    await emitRetry(this.socket, `${this.name}: watch`, 'conversation:watch', { conversationId }, { deadline, retryCodes: ['forbidden'], retryCodesUntil: Date.now() + 15_000, log: this.world.log });
  }

  send(conversationId: string, text: string, deadline: number, opts: { preferRest?: boolean } = {}): Promise<SendResult> {
    // Right after an accept or a transfer the projection may not name this agent yet: forbidden is retried briefly.
    return sendUntilAcked(this.world, { sender: 'agent', name: this.name, socket: this.socket, baseUrl: this.baseUrl, token: this.token },
      conversationId, 'agent:message', { conversationId, text }, deadline, { preferRest: opts.preferRest, retryForbiddenUntil: Date.now() + 15_000 });
  }

  async close(conversationId: string, deadline: number): Promise<'ok' | 'already'> {
    try {
      await emitRetry(this.socket, `${this.name}: close`, 'agent:close', { conversationId }, { deadline, log: this.world.log });
      return 'ok';
    } catch (err) {
      if (err instanceof Refused && err.code === 'conflict') return 'already';
      throw err;
    }
  }

  /** Asks for a transfer (not idempotent server-side, so the socket must be up before it is sent). */
  async transfer(conversationId: string, toAgentId: string, deadline: number): Promise<{ transferId: string; outcome: string; toAgentId: string | null }> {
    return emitRetry(this.socket, `${this.name}: transfer`, 'agent:transfer', { conversationId, toAgentId }, { deadline, log: this.world.log }) as any;
  }

  async answerTransfer(transferId: string, accept: boolean, deadline: number): Promise<'ok' | string> {
    try {
      await emitRetry(this.socket, `${this.name}: answer transfer`, 'agent:transfer-answer', { transferId, accept }, { deadline, log: this.world.log });
      return 'ok';
    } catch (err) {
      if (err instanceof Refused) return err.message;
      throw err;
    }
  }

  dispose(): void {
    closed.add(this.socket);
    this.socket.close();
  }
}
