import { markRaw } from 'vue';
import { ApiError } from './errors';
import { readCookie } from './cookies';
import type { TokenStore } from './storage';
import { CSRF_COOKIE, CSRF_HEADER } from '../../domain/contracts/session';
import type { ConversationStatus } from '../../domain/conversation';
import type { PageViewInput, VisitorPageInfo, VisitorProfilePatch } from '../../domain/visitor-context';
import { restClient, type Method, type RestClient } from '../../client/rest';
import { operations as ops } from '../../client/operations';
import type { AlertPreferencesPatch } from '../../domain/alerts';
import type { SupportedLocale } from '../../domain/locales';
import type { AgentCreateInput, AgentPatch, AssignmentStrategy, FlowProblem, RoutingSettings } from './types';
import type { CannedFields, CannedScope, CannedSettings } from '../../domain/canned/schema';
import type { HistoryQuery } from '../../client/types';
import type { IdentifyInput, WidgetSettingsPatch } from '../../domain/widget';

export type { LoginResponse, PublicConfig, VisitorSessionResponse } from '../../client/types';

export interface ApiClientOptions {
  /** Where the Bearer token comes from (the visitor app); staff apps have none: their session is the HttpOnly cookie. */
  tokens?: TokenStore;
  /** Called when the server answers 401 for a request made as the signed-in user (not an explicitly anonymous one). */
  onUnauthorized?: () => void;
}

export interface ApiClient {
  /** The typed client (client/rest.ts) these helpers go through. */
  rest: RestClient;
  request<T>(method: Method, path: string, body?: unknown, init?: { token?: string | null }): Promise<T>;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

/** JSON over same-origin fetch: the Bearer token if any, else the staff session cookie with its CSRF header; failures become ApiError. */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const rest = restClient('', {
    auth: { token: () => options.tokens?.get() ?? null, csrf: () => readCookie(CSRF_COOKIE), csrfHeader: CSRF_HEADER },
    onUnauthorized: options.onUnauthorized,
  });
  const request = <T>(method: Method, path: string, body?: unknown, init: { token?: string | null } = {}) => rest.request<T>(method, path, body, init);
  return markRaw({
    rest,
    request,
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
    put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
    patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
    delete: <T>(path: string) => request<T>('DELETE', path),
  });
}

/* ---- typed endpoints from the REST contract (client/operations.ts) ---- */

export const endpoints = {
  login: (api: ApiClient, email: string, password: string) => api.rest.call(ops.login, { body: { email, password }, token: null }),
  me: (api: ApiClient) => api.rest.call(ops.getMe),
  /** Clears the staff session cookies. */
  logout: (api: ApiClient) => api.rest.call(ops.logout, { body: {} }),
  /** `embed`: the widget's channel and host origin (issue 19), checked against the channel's allowed origins. */
  visitorSession: (api: ApiClient, displayName?: string, embed?: { channel?: string; embedOrigin: string }) =>
    api.rest.call(ops.createVisitorSession, { body: { ...(displayName ? { displayName } : {}), ...(embed ?? {}) } }),
  /** The visitor's open conversation, else a new one. `forceNew` also replaces one that is closed but still in its rating window. */
  visitorConversation: (
    api: ApiClient, opts: { channel?: string; forceNew?: boolean; page?: VisitorPageInfo; locale?: SupportedLocale; embedOrigin?: string } = {},
  ) =>
    api.rest.call(ops.startConversation, {
      body: {
        ...(opts.channel ? { channel: opts.channel } : {}), ...(opts.forceNew ? { new: true } : {}), ...(opts.page ? { page: opts.page } : {}),
        ...(opts.locale ? { locale: opts.locale } : {}), ...(opts.embedOrigin ? { embedOrigin: opts.embedOrigin } : {}),
      },
    }),
  conversation: (api: ApiClient, id: string) => api.rest.call(ops.getConversation, { params: { id } }),
  messages: (api: ApiClient, id: string) => api.rest.call(ops.listMessages, { params: { id } }).then((r) => r.messages),
  conversations: (api: ApiClient, status?: ConversationStatus) =>
    api.rest.call(ops.listConversations, { params: status ? { status } : undefined }).then((r) => r.conversations),
  closeConversation: (api: ApiClient, id: string) => api.rest.call(ops.closeConversation, { params: { id }, body: {} }),
  config: (api: ApiClient) => api.rest.call(ops.getPublicConfig, { token: null }),
};

/** Agents (api/routes/agents.ts). Listing is for all staff; changes are for admins except the own limit. */
export const agentsApi = {
  list: (api: ApiClient) => api.rest.call(ops.listAgents).then((r) => r.agents),
  create: (api: ApiClient, input: AgentCreateInput) => api.rest.call(ops.createAgent, { body: input }),
  update: (api: ApiClient, id: string, patch: AgentPatch) => api.rest.call(ops.updateAgent, { params: { id }, body: patch }),
  forceOffline: (api: ApiClient, id: string) => api.rest.call(ops.forceAgentOffline, { params: { id }, body: {} }),
  disable: (api: ApiClient, id: string) => api.rest.call(ops.disableAgent, { params: { id }, body: {} }),
  restore: (api: ApiClient, id: string) => api.rest.call(ops.restoreAgent, { params: { id }, body: {} }),
  statusHistory: (api: ApiClient, id: string) => api.rest.call(ops.getAgentStatusHistory, { params: { id } }).then((r) => r.history),
  /** The signed-in agent's own limit; refused (403) unless the desk allows agents to change it. */
  setMyMaxConversations: (api: ApiClient, maxConversations: number) => api.rest.call(ops.setMyMaxConversations, { body: { maxConversations } }),
  alertPreferences: (api: ApiClient) => api.rest.call(ops.getMyAlertPreferences),
  saveAlertPreferences: (api: ApiClient, patch: AlertPreferencesPatch) => api.rest.call(ops.updateMyAlertPreferences, { body: patch }),
  myLocale: (api: ApiClient) => api.rest.call(ops.getMyLocale),
  saveMyLocale: (api: ApiClient, locale: SupportedLocale | null) => api.rest.call(ops.updateMyLocale, { body: { locale } }),
  /** Which workbench controls the desk allows (join a queued conversation, change my limit). */
  workbenchSettings: (api: ApiClient) => api.rest.call(ops.getWorkbenchSettings),
};

/** Teams (api/routes/teams.ts). */
export const teamsApi = {
  list: (api: ApiClient) => api.rest.call(ops.listTeams).then((r) => r.teams),
  create: (api: ApiClient, input: { id: string; name: string; strategy: AssignmentStrategy }) => api.rest.call(ops.createTeam, { body: input }),
  update: (api: ApiClient, id: string, patch: { name?: string; strategy?: AssignmentStrategy }) =>
    api.rest.call(ops.updateTeam, { params: { id }, body: patch }),
  remove: (api: ApiClient, id: string) => api.rest.call(ops.deleteTeam, { params: { id } }),
};

/** Routing: desk settings, the queue, taking / assigning / transferring conversations (api/routes/routing.ts). */
export const routingApi = {
  settings: (api: ApiClient) => api.rest.call(ops.getRoutingSettings),
  saveSettings: (api: ApiClient, patch: Partial<RoutingSettings>) => api.rest.call(ops.updateRoutingSettings, { body: patch }),
  queue: (api: ApiClient) => api.rest.call(ops.listQueue).then((r) => r.queue),
  join: (api: ApiClient, conversationId: string) => api.rest.call(ops.joinConversation, { params: { id: conversationId }, body: {} }),
  assign: (api: ApiClient, conversationId: string, agentId: string) =>
    api.rest.call(ops.assignConversation, { params: { id: conversationId }, body: { agentId } }),
  transfer: (api: ApiClient, conversationId: string, target: { toAgentId: string } | { toTeamId: string }) =>
    api.rest.call(ops.transferConversation, { params: { id: conversationId }, body: target }),
};

/** Visitor blacklist (api/routes/blacklist.ts). */
export const blacklistApi = {
  /** A blank reason is sent as none (it is optional). */
  block: (api: ApiClient, visitorId: string, reason: string) =>
    api.rest.call(ops.blockVisitor, { params: { id: visitorId }, body: reason.trim() ? { reason } : {} }),
  unblock: (api: ApiClient, visitorId: string, reason: string) =>
    api.rest.call(ops.unblockVisitor, { params: { id: visitorId }, body: reason.trim() ? { reason } : {} }),
  log: (api: ApiClient, visitorId: string) => api.rest.call(ops.getVisitorBlacklistLog, { params: { id: visitorId } }),
};

/** Composer: receipts and the desk's composer settings (api/routes/composer.ts). */
export const composerApi = {
  receipts: (api: ApiClient, conversationId: string) => api.rest.call(ops.getConversationReceipts, { params: { id: conversationId } }),
  settings: (api: ApiClient) => api.rest.call(ops.getComposerSettings),
  saveSettings: (api: ApiClient, patch: { typingPreview?: boolean }) => api.rest.call(ops.updateComposerSettings, { body: patch }),
};

/** Service flows (api/routes/flows.ts). */
export const flowsApi = {
  list: (api: ApiClient) => api.rest.call(ops.listFlows).then((r) => r.flows),
  create: (api: ApiClient, input: { id: string; name: string; channel: string; draft?: Record<string, unknown> }) =>
    api.rest.call(ops.createFlow, { body: input }),
  get: (api: ApiClient, flowId: string) => api.rest.call(ops.getFlow, { params: { id: flowId } }),
  saveDraft: (api: ApiClient, flowId: string, body: { draft: Record<string, unknown>; name?: string; channel?: string; revision?: number }) =>
    api.rest.call(ops.saveFlowDraft, { params: { id: flowId }, body }),
  /** Checks `definition` when given, else the saved draft. */
  validate: (api: ApiClient, flowId: string, definition?: Record<string, unknown>) =>
    api.rest.call(ops.validateFlow, { params: { id: flowId }, body: definition ? { definition } : {} }),
  /** Publishes the saved draft; a 422 ApiError carries the problems (see `flowProblemsOf`). */
  publish: (api: ApiClient, flowId: string) => api.rest.call(ops.publishFlow, { params: { id: flowId }, body: {} }),
  versions: (api: ApiClient, flowId: string) => api.rest.call(ops.listFlowVersions, { params: { id: flowId } }).then((r) => r.versions),
  version: (api: ApiClient, flowId: string, version: number) => api.rest.call(ops.getFlowVersion, { params: { id: flowId, version } }),
  /** Replaces the draft with a version's definition; a 409 ApiError when the draft moved past `revision`. */
  restore: (api: ApiClient, flowId: string, version: number, revision: number) =>
    api.rest.call(ops.restoreFlowVersion, { params: { id: flowId, version }, body: { revision } }),
  /** Publishes `version`'s definition as the next (live) version. */
  rollBack: (api: ApiClient, flowId: string, version: number) => api.rest.call(ops.rollBackFlow, { params: { id: flowId, version }, body: {} }),
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

/** The visitor in context (api/routes/visitor-context.ts): the workbench's side panel, and the visitor's page views. */
export const visitorContextApi = {
  forConversation: (api: ApiClient, conversationId: string) => api.rest.call(ops.getVisitorContext, { params: { id: conversationId } }),
  updateProfile: (api: ApiClient, visitorId: string, patch: VisitorProfilePatch) =>
    api.rest.call(ops.updateVisitorProfile, { params: { id: visitorId }, body: patch }),
  setVip: (api: ApiClient, visitorId: string, vip: boolean) => api.rest.call(ops.setVisitorVip, { params: { id: visitorId }, body: { vip } }),
  reportPageView: (api: ApiClient, view: PageViewInput) => api.rest.call(ops.reportPageView, { body: view }),
};

/** Canned responses (api/routes/canned-responses.ts): lists, the composer's lookup, CSV and the default address. */
export const cannedApi = {
  list: (api: ApiClient, query: { q?: string; scope?: 'all' | CannedScope; limit?: number } = {}) => api.rest.call(ops.listCannedResponses, { params: query }),
  lookup: (api: ApiClient, conversationId: string, q: string, limit = 10) =>
    api.rest.call(ops.lookupCannedResponses, { params: { id: conversationId, q, limit } }),
  create: (api: ApiClient, input: CannedFields & { scope: CannedScope }) => api.rest.call(ops.createCannedResponse, { body: input }),
  update: (api: ApiClient, id: string, patch: Partial<CannedFields>) => api.rest.call(ops.updateCannedResponse, { params: { id }, body: patch }),
  remove: (api: ApiClient, id: string) => api.rest.call(ops.deleteCannedResponse, { params: { id } }),
  /** Where the browser downloads the CSV (a same-origin GET carries the session cookie). */
  exportUrl: (scope: CannedScope) => ops.exportCannedResponses.path({ scope }),
  import: (api: ApiClient, scope: CannedScope, csv: string) => api.rest.call(ops.importCannedResponses, { params: { scope }, body: csv }),
  settings: (api: ApiClient) => api.rest.call(ops.getCannedSettings),
  saveSettings: (api: ApiClient, settings: CannedSettings) => api.rest.call(ops.updateCannedSettings, { body: settings }),
};

/** History, search and read-only transcripts (api/routes/history.ts). */
export const historyApi = {
  mine: (api: ApiClient, query: HistoryQuery) => api.rest.call(ops.listMyConversations, { params: query }),
  transcript: (api: ApiClient, id: string) => api.rest.call(ops.getTranscript, { params: { id } }),
  visitorConversations: (api: ApiClient, visitorId: string) =>
    api.rest.call(ops.listVisitorConversations, { params: { id: visitorId } }).then((r) => r.conversations),
};

/** The embeddable widget (issue 19): admins' settings per channel; the embedded chat's identify and attributes. */
export const widgetApi = {
  list: (api: ApiClient) => api.rest.call(ops.listWidgetSettings).then((r) => r.channels),
  update: (api: ApiClient, channel: string, patch: WidgetSettingsPatch) => api.rest.call(ops.updateWidgetSettings, { params: { channel }, body: patch }),
  rotateSecret: (api: ApiClient, channel: string) => api.rest.call(ops.rotateWidgetIdentitySecret, { params: { channel }, body: {} }),
  identify: (api: ApiClient, input: IdentifyInput) => api.rest.call(ops.identifyVisitor, { body: input }),
  setAttributes: (api: ApiClient, input: { channel: string; embedOrigin?: string; attributes: Record<string, string> }) =>
    api.rest.call(ops.setVisitorAttributes, { body: input }),
};
