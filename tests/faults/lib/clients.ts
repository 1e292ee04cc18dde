/**
 * Clients that behave like Parley's real apps while processes die under them: every request is
 * retried until it is answered (a chat message with the SAME clientId until it is acknowledged),
 * sockets reconnect by themselves and reload the transcript after every (re)connect, and REST calls
 * go to another API process when theirs does not answer (as behind a load balancer).
 */
import { randomUUID } from 'node:crypto';
import type { ConversationSummary } from '../../../domain/conversation.js';
import type { TransferRequestEvent } from '../../../domain/contracts/events.js';
import type { ChatMessage } from '../../../domain/messages.js';
import { operations } from '../../../client/operations.js';
import { restClient, type Method } from '../../../client/rest.js';
import { ack, socketClient, type AckOf, type ClientEvent, type ParleySocket, type PayloadOf } from '../../../client/socket.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const backoff = (attempt: number) => Math.min(2_000, 150 * 1.6 ** attempt) * (0.75 + Math.random() * 0.5);

/** An answer retrying will not change (conflict, forbidden, bad request...). */
export class Refused extends Error {
  constructor(readonly code: string, message: string) { super(message); }
}
/** A step did not happen within its time: the conversation is reported stuck. */
export class Stuck extends Error {}

/**
 * A time limit that does not run while a part of the stack is down: "stuck" means the system had
 * `ms` of full availability and still did not answer, however slowly the machine restarts things.
 */
export class Deadline {
  private readonly start = Date.now();
  constructor(private readonly ms: number, private readonly downtimeSince: (t: number) => number = () => 0) {}
  remaining(): number { return this.ms - (Date.now() - this.start - this.downtimeSince(this.start)); }
  passed(): boolean { return this.remaining() <= 0; }
}

export interface AckedMessage {
  conversationId: string;
  clientId: string;
  /** The stored message's id, as the ack returned it: the id the workflow is signalled with. */
  messageId: string;
  sender: 'visitor' | 'agent';
  /** A visitor's answer to the bot: the API signals it to the workflow before acknowledging. */
  flowInput: boolean;
  via: 'socket' | 'rest';
  attempts: number;
  text: string;
}

/** What the clients share with the runner: the record of acknowledged messages, a log, deadlines. */
export interface ClientWorld {
  acked: AckedMessage[];
  stats: { sendAttempts: number; sendRetries: number; liveMessages: number; historyMessages: number; reconnects: number; refusedSends: number };
  log(line: string): void;
  deadline(ms: number): Deadline;
}

interface HttpAnswer { status: number; body: any }

/** One request over the typed client's transport; any answer resolves, no answer in time rejects. */
async function call(baseUrl: string, method: string, path: string, opts: { token?: string; body?: unknown; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  const { status, body } = await restClient(baseUrl).send(method as Method, path, { token: opts.token, body: opts.body, timeoutMs: opts.timeoutMs ?? 10_000 });
  return { status, body };
}

/** `bases[0]` first; the others in turn while it does not answer. */
const baseFor = (bases: string[], attempt: number) => bases[(attempt - 1) % bases.length];
const retryableStatus = (status: number) => status >= 500 || status === 429;

/**
 * One HTTP request, retried on network errors, timeouts, 5xx and 429 until `deadline`. Other 4xx
 * answers are final (Refused).
 */
export async function request<T = any>(what: string, bases: string[], method: string, path: string,
    opts: { token?: string; body?: unknown; deadline: Deadline; log?: (line: string) => void }): Promise<T> {
  let attempt = 0;
  let last: string;
  do {
    attempt++;
    try {
      const r = await call(baseFor(bases, attempt), method, path, { token: opts.token, body: opts.body, timeoutMs: 10_000 });
      if (r.status >= 200 && r.status < 300) return r.body as T;
      const msg = `HTTP ${r.status} ${r.body?.error?.code ?? ''} ${r.body?.error?.message ?? JSON.stringify(r.body)?.slice(0, 200)}`;
      if (!retryableStatus(r.status)) throw new Refused(r.body?.error?.code ?? String(r.status), `${what}: ${msg}`);
      last = msg;
    } catch (err) {
      if (err instanceof Refused) throw err;
      last = errText(err);
    }
    opts.log?.(`${what}: attempt ${attempt} failed: ${last}`);
    await sleep(backoff(attempt));
  } while (!opts.deadline.passed());
  throw new Stuck(`${what}: no answer after ${attempt} attempts (last: ${last})`);
}

type AnySocket = ParleySocket;
type AckResult = { ok: true; [k: string]: any } | { ok: false; error: { code: string; message: string } };
/** The ack as sent, loosely typed: the retry logic reads only `ok` and `error`. */
const emitAck = <E extends ClientEvent>(socket: AnySocket, event: E, payload: PayloadOf<E>, ms: number) =>
  ack(socket, event, payload, ms) as Promise<AckOf<E> & AckResult>;

/** A Socket.IO connection that keeps coming back and tells its owner each time it (re)connected. */
function liveSocket(world: ClientWorld, baseUrl: string, token: string, name: string, onConnect: () => void): AnySocket {
  const socket = socketClient(baseUrl, token, {
    forceNew: true, reconnection: true, reconnectionDelay: 250, reconnectionDelayMax: 2_000, timeout: 5_000,
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

interface Party { name: string; socket: AnySocket; bases: string[]; token: string; world: ClientWorld }

/**
 * One action, retried until answered: over the socket while it is connected (ack `{ ok: true }`), else
 * over REST (any API). Retried: no answer, `internal`, `unavailable`, `rate_limited`, 5xx, and the codes in
 * `retryCodes` until `retryCodesUntil`. Any other refusal is final.
 */
type SocketAction = { [E in ClientEvent]: { event: E; payload: PayloadOf<E> } }[ClientEvent];

async function act(
  p: Party, what: string, socketEvent: SocketAction | null, rest: { method: string; path: string; body: unknown } | null,
  opts: { deadline: Deadline; retryCodes?: string[]; retryCodesUntil?: number; preferRest?: boolean },
): Promise<Record<string, any>> {
  let attempt = 0;
  let last = 'no attempt';
  const retryable = (code: string) => code === 'internal' || code === 'unavailable' || code === 'rate_limited' || (!!opts.retryCodes?.includes(code) && Date.now() < (opts.retryCodesUntil ?? 0));
  do {
    attempt++;
    try {
      if (socketEvent && (p.socket.connected || !rest) && !(opts.preferRest && rest)) {
        if (!p.socket.connected) {
          last = 'not connected';
        } else {
          const res: AckResult = await emitAck(p.socket, socketEvent.event, socketEvent.payload as never, 12_000);
          if (res.ok) return res;
          if (!retryable(res.error.code)) throw new Refused(res.error.code, `${what}: ${res.error.code} ${res.error.message}`);
          last = `${res.error.code} ${res.error.message}`;
        }
      } else if (rest) {
        const r = await call(baseFor(p.bases, attempt), rest.method, rest.path, { token: p.token, body: rest.body, timeoutMs: 12_000 });
        if (r.status >= 200 && r.status < 300) return (r.body ?? {}) as Record<string, any>;
        const code = r.body?.error?.code ?? String(r.status);
        if (!retryableStatus(r.status) && !retryable(code)) throw new Refused(code, `${what}: HTTP ${r.status} ${code} ${r.body?.error?.message ?? ''}`);
        last = `HTTP ${r.status} ${r.body?.error?.message ?? ''}`;
      }
    } catch (err) {
      if (err instanceof Refused) throw err;
      last = errText(err);
    }
    p.world.log(`${what}: attempt ${attempt} failed: ${last}`);
    await sleep(backoff(attempt));
  } while (!opts.deadline.passed());
  throw new Stuck(`${what}: no answer after ${attempt} attempts (last: ${last})`);
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
  async waitFor(conversationId: string, pred: (m: ChatMessage) => boolean, ms: number, what: string, reload: () => Promise<void>,
      pollMs = 3_000): Promise<ChatMessage> {
    const deadline = this.world.deadline(ms);
    let nextPoll = Date.now() + pollMs;
    for (;;) {
      const hit = this.list(conversationId).find(pred);
      if (hit) return hit;
      if (deadline.passed()) {
        const seen = this.list(conversationId).slice(-5).map((m) => `${m.sender}:${m.body.kind}${'text' in m.body ? `(${m.body.text.slice(0, 40)})` : ''}`).join(', ');
        throw new Stuck(`timed out after ${ms} ms (of full availability) waiting for ${what}; last seen: ${seen}`);
      }
      const now = Date.now();
      if (now >= nextPoll) {
        nextPoll = now + pollMs;
        await reload().catch(() => undefined);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(10, Math.min(nextPoll - now, 1_000)));
        this.wake.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }
}

/** Reads the transcript from the first API that answers. */
async function loadTranscript(p: Party, conversationId: string, into: Transcript): Promise<void> {
  for (let i = 1; i <= p.bases.length; i++) {
    try {
      const r = await call(baseFor(p.bases, i), 'GET', `/api/conversations/${conversationId}/messages`, { token: p.token, timeoutMs: 5_000 });
      if (r.status === 200) {
        for (const m of r.body.messages as ChatMessage[]) into.add(m, 'history');
        return;
      }
      if (!retryableStatus(r.status)) return;
    } catch {
      // next API
    }
  }
}

export type SendResult = { acked: true; message: ChatMessage; clientId: string } | { acked: false; clientId: string; reason: string };

/**
 * Sends one chat message until acknowledged: the same clientId every attempt, over the socket when
 * it is connected (ack `{ ok: true }`), else over REST (201).
 */
async function sendUntilAcked(
  p: Party, sender: 'visitor' | 'agent', conversationId: string, event: 'visitor:message' | 'agent:message', payload: Record<string, unknown>, deadline: Deadline,
  opts: { preferRest?: boolean; retryForbiddenUntil?: number; flowInput?: boolean } = {},
): Promise<SendResult> {
  const world = p.world;
  const clientId = randomUUID();
  const text = String(payload.text);
  let attempt = 0;
  let last = 'no attempt';
  do {
    attempt++;
    world.stats.sendAttempts++;
    if (attempt > 1) world.stats.sendRetries++;
    const useSocket = !opts.preferRest && p.socket.connected;
    const via: 'socket' | 'rest' = useSocket ? 'socket' : 'rest';
    const forbiddenRetryable = Date.now() < (opts.retryForbiddenUntil ?? 0);
    try {
      let message: ChatMessage | null = null;
      if (useSocket) {
        const res: AckResult = await emitAck(p.socket, event, { ...payload, clientId } as PayloadOf<typeof event>, 8_000);
        if (res.ok) message = res.message as ChatMessage;
        else if (res.error.code === 'internal' || res.error.code === 'unavailable' || res.error.code === 'rate_limited' || (res.error.code === 'forbidden' && forbiddenRetryable)) last = `${res.error.code} ${res.error.message}`;
        else throw new Refused(res.error.code, res.error.message);
      } else {
        const { conversationId: _omit, ...body } = payload;
        const r = await call(baseFor(p.bases, attempt), 'POST', `/api/conversations/${conversationId}/messages`, { token: p.token, body: { ...body, clientId }, timeoutMs: 8_000 });
        if (r.status === 201) message = r.body.message as ChatMessage;
        else if (retryableStatus(r.status) || (r.status === 403 && forbiddenRetryable)) last = `HTTP ${r.status} ${r.body?.error?.message ?? ''}`;
        else throw new Refused(r.body?.error?.code ?? String(r.status), `HTTP ${r.status} ${r.body?.error?.message ?? ''}`);
      }
      if (message) {
        if (message.clientId !== clientId || message.conversationId !== conversationId) {
          throw new Error(`ack for ${clientId} carried message ${message.id} with clientId ${message.clientId} in ${message.conversationId}`);
        }
        world.acked.push({ conversationId, clientId, messageId: message.id, sender, flowInput: opts.flowInput ?? false, via, attempts: attempt, text });
        return { acked: true, message, clientId };
      }
    } catch (err) {
      if (err instanceof Refused) {
        world.stats.refusedSends++;
        world.log(`${p.name}: message "${text}" refused (${err.code}: ${err.message})`);
        return { acked: false, clientId, reason: `${err.code}: ${err.message}` };
      }
      last = errText(err);
    }
    world.log(`${p.name}: "${text}" attempt ${attempt} (${via}) not acknowledged: ${last}`);
    await sleep(backoff(attempt));
  } while (!deadline.passed());
  return { acked: false, clientId, reason: `no ack after ${attempt} attempts (last: ${last})` };
}

export class VisitorClient implements Party {
  readonly transcript: Transcript;
  socket!: AnySocket;
  token = '';
  visitorId = '';
  conversationId = '';

  /** `bases[0]` is this visitor's API (its socket's); REST falls back to the others. */
  private constructor(readonly world: ClientWorld, readonly bases: string[], readonly name: string) {
    this.transcript = new Transcript(world);
  }

  /** A visitor opening the chat: a session, the open conversation (or a new one), a socket, the transcript. */
  static async open(world: ClientWorld, bases: string[], name: string, deadline: Deadline): Promise<VisitorClient> {
    const v = new VisitorClient(world, bases, name);
    const session = await request<{ token: string; visitorId: string }>(`${name}: session`, bases, operations.createVisitorSession.method, operations.createVisitorSession.path(), { body: { displayName: name }, deadline, log: world.log });
    v.token = session.token;
    v.visitorId = session.visitorId;
    // Retrying is safe: the visitor's open conversation comes back instead of a second one.
    const c = await request<ConversationSummary>(`${name}: start conversation`, bases, operations.startConversation.method, operations.startConversation.path(), { token: v.token, body: {}, deadline, log: world.log });
    v.conversationId = c.id;
    v.socket = liveSocket(world, bases[0], v.token, name, () => { void v.reload(); });
    v.socket.on('message', (m: ChatMessage) => { if (m.conversationId === v.conversationId) v.transcript.add(m, 'live'); });
    await v.reload();
    return v;
  }

  reload(): Promise<void> { return loadTranscript(this, this.conversationId, this.transcript); }

  messages(): ChatMessage[] { return this.transcript.list(this.conversationId); }

  waitFor(pred: (m: ChatMessage) => boolean, ms: number, what: string): Promise<ChatMessage> {
    return this.transcript.waitFor(this.conversationId, pred, ms, `${this.name}: ${what}`, () => this.reload());
  }

  send(text: string, deadline: Deadline, opts: { choiceId?: string; preferRest?: boolean; flowInput?: boolean } = {}): Promise<SendResult> {
    return sendUntilAcked(this, 'visitor', this.conversationId, 'visitor:message', { text, ...(opts.choiceId ? { choiceId: opts.choiceId } : {}) }, deadline, { preferRest: opts.preferRest, flowInput: opts.flowInput });
  }

  /** Rates with one requestId, retried until answered: 'ok', or the refusal (e.g. the window closed). */
  async rate(score: number, deadline: Deadline,
      opts: { comment?: string; preferRest?: boolean } = {}): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
    const payload = { score, requestId: randomUUID(), ...(opts.comment ? { comment: opts.comment } : {}) };
    try {
      await act(this, `${this.name}: rate`, { event: 'visitor:rate', payload }, { method: 'POST', path: `/api/conversations/${this.conversationId}/rating`, body: payload }, { deadline, preferRest: opts.preferRest });
      return { ok: true };
    } catch (err) {
      if (err instanceof Refused) return { ok: false, code: err.code, message: err.message };
      throw err;
    }
  }

  /** Ends the conversation; 'already' when it was closed before (e.g. an earlier attempt went through). */
  async close(deadline: Deadline): Promise<'ok' | 'already'> {
    try {
      await act(this, `${this.name}: close`, { event: 'visitor:close', payload: {} }, { method: 'POST', path: `/api/conversations/${this.conversationId}/close`, body: {} }, { deadline });
      return 'ok';
    } catch (err) {
      if (err instanceof Refused && err.code === 'conflict') return 'already';
      throw err;
    }
  }

  summary(deadline: Deadline): Promise<ConversationSummary> {
    return request<ConversationSummary>(`${this.name}: conversation`, this.bases, 'GET', `/api/conversations/${this.conversationId}`, { token: this.token, deadline, log: this.world.log });
  }

  dispose(): void {
    closed.add(this.socket);
    this.socket.close();
  }
}

export class AgentClient implements Party {
  readonly transcript: Transcript;
  socket!: AnySocket;
  token = '';
  userId = '';
  offers = 0;
  accepted = 0;
  /** transfer:request events by conversation id. */
  readonly transferRequests = new Map<string, TransferRequestEvent>();

  private constructor(readonly world: ClientWorld, readonly bases: string[], readonly name: string) {
    this.transcript = new Transcript(world);
  }

  static async open(world: ClientWorld, bases: string[], email: string, password: string, deadline: Deadline): Promise<AgentClient> {
    const a = new AgentClient(world, bases, email.split('@')[0]);
    const login = await request<{ token: string; user: { id: string } }>(`${a.name}: login`, bases, operations.login.method, operations.login.path(), { body: { email, password }, deadline, log: world.log });
    a.token = login.token;
    a.userId = login.user.id;
    a.socket = liveSocket(world, bases[0], a.token, a.name, () => undefined);
    a.socket.on('message', (m: ChatMessage) => a.transcript.add(m, 'live'));
    a.socket.on('offer', (o: { conversationId: string }) => { void a.onOffer(o.conversationId); });
    a.socket.on('transfer:request', (t: TransferRequestEvent) => { a.transferRequests.set(t.conversationId, t); });
    await act(a, `${a.name}: online`, { event: 'agent:status', payload: { status: 'online' } }, null, { deadline });
    return a;
  }

  private async onOffer(conversationId: string): Promise<void> {
    this.offers++;
    try {
      await act(this, `${this.name}: accept ${conversationId.slice(0, 8)}`, { event: 'agent:accept', payload: { conversationId } }, null, { deadline: this.world.deadline(30_000) });
      this.accepted++;
      this.socket.emit('conversation:watch', { conversationId }, () => undefined);
    } catch (err) {
      // Expired or taken meanwhile (the dispatcher offers it again): nothing to do.
      this.world.log(`${this.name}: accept ${conversationId.slice(0, 8)}: ${errText(err)}`);
    }
  }

  reload(conversationId: string): Promise<void> { return loadTranscript(this, conversationId, this.transcript); }

  waitFor(conversationId: string, pred: (m: ChatMessage) => boolean, ms: number, what: string): Promise<ChatMessage> {
    return this.transcript.waitFor(conversationId, pred, ms, `${this.name}: ${what}`, () => this.reload(conversationId));
  }

  /** Joins the conversation's room (after an accept, a transfer or a reconnect); transcripts are polled meanwhile. */
  async watch(conversationId: string, deadline: Deadline): Promise<void> {
    await act(this, `${this.name}: watch`, { event: 'conversation:watch', payload: { conversationId } }, null, { deadline, retryCodes: ['forbidden'], retryCodesUntil: Date.now() + 15_000 });
  }

  send(conversationId: string, text: string, deadline: Deadline, opts: { preferRest?: boolean } = {}): Promise<SendResult> {
    // Right after an accept or a transfer the projection may not name this agent yet: forbidden is retried briefly.
    return sendUntilAcked(this, 'agent', conversationId, 'agent:message', { conversationId, text }, deadline, { preferRest: opts.preferRest, retryForbiddenUntil: Date.now() + 15_000 });
  }

  async close(conversationId: string, deadline: Deadline): Promise<'ok' | 'already'> {
    try {
      await act(this, `${this.name}: close`, { event: 'agent:close', payload: { conversationId } }, { method: 'POST', path: `/api/conversations/${conversationId}/close`, body: {} }, { deadline });
      return 'ok';
    } catch (err) {
      if (err instanceof Refused && err.code === 'conflict') return 'already';
      throw err;
    }
  }

  /** Asks for a transfer. Not idempotent: a retry after a lost answer finds the first one waiting (Refused). */
  async transfer(conversationId: string, toAgentId: string, deadline: Deadline): Promise<{ transferId: string; outcome: string; toAgentId: string | null }> {
    return act(this, `${this.name}: transfer`, { event: 'agent:transfer', payload: { conversationId, toAgentId } },
      { method: 'POST', path: `/api/conversations/${conversationId}/transfer`, body: { toAgentId } }, { deadline }) as any;
  }

  async answerTransfer(transferId: string, accept: boolean, deadline: Deadline): Promise<string> { // 'ok' or the refusal
    try {
      await act(this, `${this.name}: answer transfer`, { event: 'agent:transfer-answer', payload: { transferId, accept } },
        { method: 'POST', path: `/api/transfers/${transferId}/answer`, body: { accept } }, { deadline });
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
