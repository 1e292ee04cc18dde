import { markRaw } from 'vue';
import { ApiError } from './errors';
import { readCookie } from './cookies';
import type { TokenStore } from './storage';
import { CSRF_COOKIE, CSRF_HEADER } from '../../shared/session';
import type { UserProfile } from '../../shared/agents';
import type { ConversationStatus, ConversationSummary } from '../../shared/conversation';
import type { ChatMessage } from '../../shared/messages';
import type {
  AgentCreateInput, AgentPatch, AgentWithStatus, AssignmentStrategy, BlacklistState, FlowDetail, FlowProblem, FlowSummary,
  FlowValidation, FlowVersion, FlowVersionSummary, QueueEntry, RoutingSettings, StatusHistoryEntry, Team, TransferAnswer,
} from './types';

export interface ApiClientOptions {
  /** Where the Bearer token comes from (the visitor app); staff apps have none: their session is the HttpOnly cookie. */
  tokens?: TokenStore;
  /** Called when the server answers 401 for a request made as the signed-in user (not an explicitly anonymous one). */
  onUnauthorized?: () => void;
}

const SAFE_METHODS: readonly Method[] = ['GET'];

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function isErrorBody(x: unknown): x is { error: { code: string; message: string; field?: string } } {
  if (typeof x !== 'object' || x === null || !('error' in x)) return false;
  const e = x.error;
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string';
}

export interface ApiClient {
  request<T>(method: Method, path: string, body?: unknown, init?: { token?: string | null }): Promise<T>;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

/** JSON over fetch (same-origin cookies included) with the Bearer token if any; failures become ApiError with the server's `{ code, message, field }`. */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  async function request<T>(method: Method, path: string, body?: unknown, init: { token?: string | null } = {}): Promise<T> {
    const token = init.token !== undefined ? init.token : options.tokens?.get() ?? null;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    // A cookie session (staff) proves the request comes from this page by echoing its CSRF cookie.
    const csrf = readCookie(CSRF_COOKIE);
    if (!token && csrf && !SAFE_METHODS.includes(method)) headers[CSRF_HEADER] = csrf;

    let res: Response;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError('network', 'Cannot reach the server. Check your connection and try again.');
    }

    const text = await res.text();
    let data: unknown = undefined;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = undefined;
      }
    }

    if (!res.ok) {
      if (res.status === 401 && init.token !== null) options.onUnauthorized?.();
      if (isErrorBody(data)) {
        throw new ApiError(data.error.code, data.error.message, res.status, data.error.field, data);
      }
      throw new ApiError(res.status === 401 ? 'unauthorized' : 'internal', `Request failed (${res.status})`, res.status);
    }
    return data as T;
  }

  return markRaw({
    request,
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
    put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
    patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
    delete: <T>(path: string) => request<T>('DELETE', path),
  });
}

/* ---- typed endpoints from the REST contract ---- */

/** The session itself arrives as HttpOnly cookies; `token` is for API clients that send it as a Bearer header. */
export interface LoginResponse { token: string; user: UserProfile }
export interface VisitorSessionResponse { token: string; visitorId: string; displayName: string }
export interface PublicConfig { temporalUiUrl: string; namespace: string }

export const endpoints = {
  login: (api: ApiClient, email: string, password: string) =>
    api.request<LoginResponse>('POST', '/api/auth/login', { email, password }, { token: null }),
  me: (api: ApiClient) => api.get<UserProfile>('/api/auth/me'),
  /** Clears the staff session cookies. */
  logout: (api: ApiClient) => api.post<{ ok: true }>('/api/auth/logout'),
  visitorSession: (api: ApiClient, displayName?: string) =>
    api.post<VisitorSessionResponse>('/api/visitor/session', displayName ? { displayName } : {}),
  /** The visitor's open conversation, else a new one. `forceNew` also replaces one that is closed but still in its rating window. */
  visitorConversation: (api: ApiClient, opts: { channel?: string; forceNew?: boolean } = {}) =>
    api.post<ConversationSummary>('/api/visitor/conversations', {
      ...(opts.channel ? { channel: opts.channel } : {}),
      ...(opts.forceNew ? { new: true } : {}),
    }),
  conversation: (api: ApiClient, id: string) => api.get<ConversationSummary>(`/api/conversations/${encodeURIComponent(id)}`),
  messages: (api: ApiClient, id: string) =>
    api.get<{ messages: ChatMessage[] }>(`/api/conversations/${encodeURIComponent(id)}/messages`).then((r) => r.messages),
  conversations: (api: ApiClient, status?: ConversationStatus) =>
    api
      .get<{ conversations: ConversationSummary[] }>(`/api/conversations${status ? `?status=${encodeURIComponent(status)}` : ''}`)
      .then((r) => r.conversations),
  closeConversation: (api: ApiClient, id: string) => api.post<unknown>(`/api/conversations/${encodeURIComponent(id)}/close`),
  config: (api: ApiClient) => api.request<PublicConfig>('GET', '/api/config', undefined, { token: null }),
};

const seg = encodeURIComponent;

/** Agents (api/routes/agents.ts). Listing is for all staff; changes are for admins except the own limit. */
export const agentsApi = {
  list: (api: ApiClient) => api.get<{ agents: AgentWithStatus[] }>('/api/agents').then((r) => r.agents),
  create: (api: ApiClient, input: AgentCreateInput) => api.post<AgentWithStatus>('/api/agents', input),
  update: (api: ApiClient, id: string, patch: AgentPatch) => api.patch<AgentWithStatus>(`/api/agents/${seg(id)}`, patch),
  forceOffline: (api: ApiClient, id: string) => api.post<AgentWithStatus>(`/api/agents/${seg(id)}/force-offline`),
  disable: (api: ApiClient, id: string) => api.post<AgentWithStatus>(`/api/agents/${seg(id)}/disable`),
  restore: (api: ApiClient, id: string) => api.post<AgentWithStatus>(`/api/agents/${seg(id)}/restore`),
  statusHistory: (api: ApiClient, id: string) =>
    api.get<{ history: StatusHistoryEntry[] }>(`/api/agents/${seg(id)}/status-history`).then((r) => r.history),
  /** The signed-in agent's own limit; refused (403) unless the desk allows agents to change it. */
  setMyMaxConversations: (api: ApiClient, maxConversations: number) =>
    api.put<AgentWithStatus>('/api/me/max-conversations', { maxConversations }),
};

/** Teams (api/routes/teams.ts). */
export const teamsApi = {
  list: (api: ApiClient) => api.get<{ teams: Team[] }>('/api/teams').then((r) => r.teams),
  create: (api: ApiClient, input: { id: string; name: string; strategy: AssignmentStrategy }) => api.post<Team>('/api/teams', input),
  update: (api: ApiClient, id: string, patch: { name?: string; strategy?: AssignmentStrategy }) => api.patch<Team>(`/api/teams/${seg(id)}`, patch),
  remove: (api: ApiClient, id: string) => api.delete<{ ok: true }>(`/api/teams/${seg(id)}`),
};

/** Routing: desk settings, the queue, taking / assigning / transferring conversations (api/routes/routing.ts). */
export const routingApi = {
  settings: (api: ApiClient) => api.get<RoutingSettings>('/api/settings/routing'),
  saveSettings: (api: ApiClient, patch: Partial<RoutingSettings>) => api.put<RoutingSettings>('/api/settings/routing', patch),
  queue: (api: ApiClient) => api.get<{ queue: QueueEntry[] }>('/api/queue').then((r) => r.queue),
  join: (api: ApiClient, conversationId: string) => api.post<{ ok: true }>(`/api/conversations/${seg(conversationId)}/join`, {}),
  assign: (api: ApiClient, conversationId: string, agentId: string) =>
    api.post<{ ok: true }>(`/api/conversations/${seg(conversationId)}/assign`, { agentId }),
  transfer: (api: ApiClient, conversationId: string, target: { toAgentId: string } | { toTeamId: string }) =>
    api.post<TransferAnswer>(`/api/conversations/${seg(conversationId)}/transfer`, target),
};

/** Visitor blacklist (api/routes/blacklist.ts). */
export const blacklistApi = {
  block: (api: ApiClient, visitorId: string, reason: string) =>
    api.post<{ blocked: true; closed: number }>(`/api/visitors/${seg(visitorId)}/block`, { reason }),
  unblock: (api: ApiClient, visitorId: string, reason: string) =>
    api.post<{ blocked: false }>(`/api/visitors/${seg(visitorId)}/unblock`, { reason }),
  log: (api: ApiClient, visitorId: string) => api.get<BlacklistState>(`/api/visitors/${seg(visitorId)}/blacklist-log`),
};

/** Service flows (api/routes/flows.ts). */
export const flowsApi = {
  list: (api: ApiClient) => api.get<{ flows: FlowSummary[] }>('/api/flows').then((r) => r.flows),
  create: (api: ApiClient, input: { id: string; name: string; channel: string; draft?: Record<string, unknown> }) =>
    api.post<FlowDetail>('/api/flows', input),
  get: (api: ApiClient, flowId: string) => api.get<FlowDetail>(`/api/flows/${seg(flowId)}`),
  saveDraft: (api: ApiClient, flowId: string, body: { draft: Record<string, unknown>; name?: string; channel?: string }) =>
    api.put<FlowDetail>(`/api/flows/${seg(flowId)}`, body),
  /** Checks `definition` when given, else the saved draft. */
  validate: (api: ApiClient, flowId: string, definition?: Record<string, unknown>) =>
    api.post<FlowValidation>(`/api/flows/${seg(flowId)}/validate`, definition ? { definition } : {}),
  /** Publishes the saved draft; a 422 ApiError carries the problems (see `flowProblemsOf`). */
  publish: (api: ApiClient, flowId: string) => api.post<FlowVersion>(`/api/flows/${seg(flowId)}/publish`, {}),
  versions: (api: ApiClient, flowId: string) =>
    api.get<{ versions: FlowVersionSummary[] }>(`/api/flows/${seg(flowId)}/versions`).then((r) => r.versions),
  version: (api: ApiClient, flowId: string, version: number) => api.get<FlowVersion>(`/api/flows/${seg(flowId)}/versions/${version}`),
};

/** The `problems` of a refused publish (422 `invalid_flow`), else null. */
export function flowProblemsOf(err: unknown): FlowProblem[] | null {
  if (!(err instanceof ApiError) || err.status !== 422) return null;
  const body = err.body as { problems?: unknown } | undefined;
  if (!body || !Array.isArray(body.problems)) return null;
  return body.problems.filter(
    (p): p is FlowProblem => typeof p === 'object' && p !== null && typeof (p as FlowProblem).message === 'string',
  );
}
