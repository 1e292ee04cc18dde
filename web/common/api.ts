import { markRaw } from 'vue';
import { ApiError } from './errors';
import type { TokenStore } from './storage';
import type { UserProfile } from '../../shared/agents';
import type { ConversationStatus, ConversationSummary } from '../../shared/conversation';
import type { ChatMessage } from '../../shared/messages';

export interface ApiClientOptions {
  /** Where the Bearer token comes from; omitted for anonymous calls. */
  tokens?: TokenStore;
  /** Called when the server answers 401 for a request that carried a token. */
  onUnauthorized?: () => void;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function isErrorBody(x: unknown): x is { error: { code: string; message: string; field?: string } } {
  if (typeof x !== 'object' || x === null || !('error' in x)) return false;
  const e = (x as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string';
}

export interface ApiClient {
  request<T>(method: Method, path: string, body?: unknown, init?: { token?: string | null }): Promise<T>;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

/** JSON over fetch with the Bearer token; failures become ApiError with the server's `{ code, message, field }`. */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  async function request<T>(method: Method, path: string, body?: unknown, init: { token?: string | null } = {}): Promise<T> {
    const token = init.token !== undefined ? init.token : options.tokens?.get() ?? null;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;

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
      if (res.status === 401 && token) options.onUnauthorized?.();
      if (isErrorBody(data)) {
        throw new ApiError(data.error.code, data.error.message, res.status, data.error.field);
      }
      throw new ApiError(res.status === 401 ? 'unauthorized' : 'internal', `Request failed (${res.status})`, res.status);
    }
    return data as T;
  }

  return markRaw({
    request,
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  });
}

/* ---- typed endpoints from the REST contract ---- */

export interface LoginResponse { token: string; user: UserProfile }
export interface VisitorSessionResponse { token: string; visitorId: string; displayName: string }
export interface PublicConfig { temporalUiUrl: string; namespace: string }

export const endpoints = {
  login: (api: ApiClient, email: string, password: string) =>
    api.request<LoginResponse>('POST', '/api/auth/login', { email, password }, { token: null }),
  me: (api: ApiClient) => api.get<UserProfile>('/api/auth/me'),
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
