import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '../../domain/messages.js';
import type { AgentStatus } from '../../domain/agents.js';
import type { SupportedLocale } from '../../domain/locales.js';
import { operations } from '../../client/operations.js';
import { restClient, type Method } from '../../client/rest.js';
import { ack, connected, socketClient, type ClientEvent, type ParleySocket, type PayloadOf } from '../../client/socket.js';
import { TEST_PASSWORD } from './stack.js';

/** One request with the typed client's transport; any answer resolves (tests check the status). */
export async function http<T = unknown>(
  baseUrl: string, method: string, path: string, opts: { token?: string; body?: unknown; raw?: string } = {},
): Promise<{ status: number; body: T }> {
  const res = await restClient(baseUrl).send<T>(method as Method, path, { token: opts.token, body: opts.body, raw: opts.raw });
  return { status: res.status, body: res.body };
}

/** Resolves with the first event matching `pred`, or rejects after `ms`. Events seen earlier are kept, so nothing races. */
function inbox(socket: ParleySocket) {
  const seen: Array<{ event: string; payload: unknown }> = [];
  const waiters: Array<{ event: string; pred: (p: any) => boolean; resolve: (p: any) => void }> = [];
  const seenIds = new Set<string>();
  const deliver = (event: string, payload: unknown) => {
    if (event === 'message') {
      const id = (payload as ChatMessage).id;
      if (seenIds.has(id)) return;
      seenIds.add(id);
    }
    seen.push({ event, payload });
    for (const w of [...waiters]) {
      if (w.event === event && w.pred(payload)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(payload); }
    }
  };
  socket.onAny(deliver);
  return {
    seen,
    /** Like a real client after (re)connecting: merge the stored history with live events. */
    async loadHistory(baseUrl: string, token: string, conversationId: string) {
      const res = await http<{ messages?: ChatMessage[] }>(baseUrl, 'GET', `/api/conversations/${conversationId}/messages`, { token });
      for (const m of res.body?.messages ?? []) deliver('message', m);
    },
    waitFor<T = any>(event: string, pred: (p: T) => boolean = () => true, ms = 20_000): Promise<T> {
      const hit = seen.find((s) => s.event === event && pred(s.payload as T));
      if (hit) return Promise.resolve(hit.payload as T);
      const timeout = new Error(`timed out after ${ms} ms waiting for "${event}"`); // created here for a useful stack
      return new Promise<T>((resolve, reject) => {
        const w = { event, pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          if (!waiters.includes(w)) return;
          waiters.splice(waiters.indexOf(w), 1);
          timeout.message += `; saw: ${seen.map((s) => s.event === 'message' ? `message(${(s.payload as ChatMessage).body.kind})` : s.event).join(', ')}`;
          reject(timeout);
        }, ms);
      });
    },
    messages(): ChatMessage[] { return seen.filter((s) => s.event === 'message').map((s) => s.payload as ChatMessage); },
  };
}

function connect(baseUrl: string, token: string): Promise<ParleySocket> {
  return connected(socketClient(baseUrl, token, { reconnection: true, forceNew: true }));
}

/** The ack as the server sent it (`{ ok: false, ... }` included); `any` unless told, so tests can send what they like. */
export async function emitAck<T = any>(socket: ParleySocket, event: ClientEvent | (string & {}), payload: unknown, ms = 20_000): Promise<T> {
  return ack(socket, event as ClientEvent, payload as PayloadOf<ClientEvent>, ms) as Promise<T>;
}

export async function visitorClient(baseUrl: string, displayName = 'Test Visitor', opts: {
  channel?: string; /** Runs between session and conversation start (e.g. mark the visitor VIP). */ beforeStart?: (visitorId: string) => Promise<void>;
  /** The visitor's locale, sent with the start (issue 19). */ locale?: SupportedLocale;
} = {}) {
  const rest = restClient(baseUrl);
  const session = await rest.call(operations.createVisitorSession, { body: { displayName } });
  const token = session.token;
  await opts.beforeStart?.(session.visitorId);
  const body = { ...(opts.channel ? { channel: opts.channel } : {}), ...(opts.locale ? { locale: opts.locale } : {}) };
  const conversation = await rest.call(operations.startConversation, { token, body })
    .catch((err: Error) => { throw new Error(`could not start a conversation: ${err.message}`); });
  const socket = await connect(baseUrl, token);
  const box = inbox(socket);
  await box.loadHistory(baseUrl, token, conversation.id);
  return {
    token, visitorId: session.visitorId, conversation, socket, ...box,
    send: (text: string, choiceId?: string) => emitAck(socket, 'visitor:message', { clientId: randomUUID(), text, ...(choiceId ? { choiceId } : {}) }),
    rate: (score: number, comment?: string) => emitAck(socket, 'visitor:rate', { score, comment, requestId: randomUUID() }),
    waitForBody: <K extends ChatMessage['body']['kind']>(kind: K, pred: (b: Extract<ChatMessage['body'], { kind: K }>) => boolean = () => true, ms?: number) =>
      box.waitFor<ChatMessage>('message', (m) => m.body.kind === kind && pred(m.body as Extract<ChatMessage['body'], { kind: K }>), ms)
        .then((m) => m.body as Extract<ChatMessage['body'], { kind: K }>),
    close() { socket.close(); },
  };
}
export type VisitorClient = Awaited<ReturnType<typeof visitorClient>>;

export async function staffClient(baseUrl: string, email: string, password = TEST_PASSWORD) {
  const login = await restClient(baseUrl).call(operations.login, { body: { email, password } })
    .catch((err: Error) => { throw new Error(`login failed: ${err.message}`); });
  const socket = await connect(baseUrl, login.token);
  const box = inbox(socket);
  return {
    token: login.token, userId: login.user.id, socket, ...box,
    setStatus: (status: AgentStatus | (string & {}), reason?: string) => emitAck(socket, 'agent:status', { status, reason }),
    accept: (conversationId: string) => emitAck(socket, 'agent:accept', { conversationId }),
    send: (conversationId: string, text: string) => emitAck(socket, 'agent:message', { conversationId, clientId: randomUUID(), text }),
    closeConversation: (conversationId: string) => emitAck(socket, 'agent:close', { conversationId }),
    close() { socket.close(); },
  };
}
export type StaffClient = Awaited<ReturnType<typeof staffClient>>;
