import type { UserProfile } from '../domain/agents.js';
import type { ConversationStatus, ConversationSummary } from '../domain/conversation.js';
import type { ChatMessage, OutgoingText, RatingInput } from '../domain/messages.js';
import type { Method, Operation } from './rest.js';
import type {
  AgentCreateInput, AgentPatch, AgentWithStatus, AssignmentStrategy, BlacklistState, FlowDetail, FlowValidation, FlowVersion,
  FlowSummary, FlowVersionSummary, LoginResponse, PublicConfig, QueueEntry, RoutingSettings, StatusHistoryEntry, Team,
  TransferAnswer, VisitorSessionResponse, HistoryPage, HistoryQuery, Transcript, VisitorConversations,
} from './types.js';

/**
 * The REST contract as typed operations (method, path, body, response), one per `operationId` of the
 * OpenAPI document (api/routes/*.ts). Call them with `restClient(...).call(operations.x, { params, body })`.
 */

const seg = encodeURIComponent;
const op = <R, B = undefined, P = void>(method: Method, path: (p: P) => string): Operation<P, B, R> => ({ method, path });
const fixed = <R, B = undefined>(method: Method, path: string) => op<R, B>(method, () => path);

type Id = { id: string };
type Ok = { ok: true };
const conversation = (p: Id) => `/api/conversations/${seg(p.id)}`;
const agent = (p: Id) => `/api/agents/${seg(p.id)}`;

export const operations = {
  // auth
  login: fixed<LoginResponse, { email: string; password: string }>('POST', '/api/auth/login'),
  logout: fixed<Ok, Record<string, never>>('POST', '/api/auth/logout'),
  getMe: fixed<UserProfile>('GET', '/api/auth/me'),
  getPublicConfig: fixed<PublicConfig>('GET', '/api/config'),

  // visitor
  createVisitorSession: fixed<VisitorSessionResponse, { displayName?: string }>('POST', '/api/visitor/session'),
  startConversation: fixed<ConversationSummary, { channel?: string; new?: boolean }>('POST', '/api/visitor/conversations'),

  // conversations
  listConversations: op<{ conversations: ConversationSummary[] }, undefined, { status?: ConversationStatus } | void>('GET',
    (p) => `/api/conversations${p && p.status ? `?status=${seg(p.status)}` : ''}`),
  getConversation: op<ConversationSummary, undefined, Id>('GET', conversation),
  listMessages: op<{ messages: ChatMessage[] }, undefined, Id & { after?: number }>('GET',
    (p) => `${conversation(p)}/messages${p.after ? `?after=${p.after}` : ''}`),
  sendMessage: op<{ message: ChatMessage }, OutgoingText, Id>('POST', (p) => `${conversation(p)}/messages`),
  closeConversation: op<ConversationSummary, Record<string, never>, Id>('POST', (p) => `${conversation(p)}/close`),
  rateConversation: op<{ counted: boolean }, RatingInput & { requestId: string }, Id>('POST', (p) => `${conversation(p)}/rating`),

  // agents
  listAgents: fixed<{ agents: AgentWithStatus[] }>('GET', '/api/agents'),
  createAgent: fixed<AgentWithStatus, AgentCreateInput>('POST', '/api/agents'),
  updateAgent: op<AgentWithStatus, AgentPatch, Id>('PATCH', agent),
  forceAgentOffline: op<AgentWithStatus, Record<string, never>, Id>('POST', (p) => `${agent(p)}/force-offline`),
  disableAgent: op<AgentWithStatus & { desk: 'updated' | 'pending' }, Record<string, never>, Id>('POST', (p) => `${agent(p)}/disable`),
  restoreAgent: op<AgentWithStatus, Record<string, never>, Id>('POST', (p) => `${agent(p)}/restore`),
  getAgentStatusHistory: op<{ history: StatusHistoryEntry[] }, undefined, Id>('GET', (p) => `${agent(p)}/status-history`),
  setMyMaxConversations: fixed<AgentWithStatus, { maxConversations: number }>('PUT', '/api/me/max-conversations'),

  // teams
  listTeams: fixed<{ teams: Team[] }>('GET', '/api/teams'),
  createTeam: fixed<Team, { id: string; name: string; strategy?: AssignmentStrategy }>('POST', '/api/teams'),
  updateTeam: op<Team, { name?: string; strategy?: AssignmentStrategy }, Id>('PATCH', (p) => `/api/teams/${seg(p.id)}`),
  deleteTeam: op<Ok, undefined, Id>('DELETE', (p) => `/api/teams/${seg(p.id)}`),

  // routing
  getRoutingSettings: fixed<RoutingSettings>('GET', '/api/settings/routing'),
  updateRoutingSettings: fixed<RoutingSettings, Partial<RoutingSettings>>('PUT', '/api/settings/routing'),
  listQueue: fixed<{ queue: QueueEntry[] }>('GET', '/api/queue'),
  joinConversation: op<Ok, Record<string, never>, Id>('POST', (p) => `${conversation(p)}/join`),
  assignConversation: op<Ok, { agentId: string }, Id>('POST', (p) => `${conversation(p)}/assign`),
  transferConversation: op<TransferAnswer, { toAgentId: string } | { toTeamId: string }, Id>('POST', (p) => `${conversation(p)}/transfer`),
  answerTransfer: op<{ outcome: 'accepted' | 'rejected' }, { accept: boolean }, { transferId: string }>('POST',
    (p) => `/api/transfers/${seg(p.transferId)}/answer`),

  // blacklist
  blockVisitor: op<{ blocked: true; closed: number }, { reason: string }, Id>('POST', (p) => `/api/visitors/${seg(p.id)}/block`),
  unblockVisitor: op<{ blocked: false }, { reason: string }, Id>('POST', (p) => `/api/visitors/${seg(p.id)}/unblock`),
  getVisitorBlacklistLog: op<BlacklistState, undefined, Id>('GET', (p) => `/api/visitors/${seg(p.id)}/blacklist-log`),

  // flows
  listFlows: fixed<{ flows: FlowSummary[] }>('GET', '/api/flows'),
  createFlow: fixed<FlowDetail, { id: string; name: string; channel: string; draft?: Record<string, unknown> }>('POST', '/api/flows'),
  getFlow: op<FlowDetail, undefined, Id>('GET', (p) => `/api/flows/${seg(p.id)}`),
  saveFlowDraft: op<FlowDetail, { draft: Record<string, unknown>; name?: string; channel?: string }, Id>('PUT', (p) => `/api/flows/${seg(p.id)}`),
  validateFlow: op<FlowValidation, { definition?: Record<string, unknown> }, Id>('POST', (p) => `/api/flows/${seg(p.id)}/validate`),
  publishFlow: op<FlowVersion, Record<string, never>, Id>('POST', (p) => `/api/flows/${seg(p.id)}/publish`),
  listFlowVersions: op<{ versions: FlowVersionSummary[] }, undefined, Id>('GET', (p) => `/api/flows/${seg(p.id)}/versions`),
  getFlowVersion: op<FlowVersion, undefined, Id & { version: number }>('GET', (p) => `/api/flows/${seg(p.id)}/versions/${p.version}`),

  // history
  listMyConversations: op<HistoryPage, undefined, HistoryQuery | void>('GET', (p) => `/api/me/conversations${historyQueryString(p || {})}`),
  getTranscript: op<Transcript, undefined, Id>('GET', (p) => `${conversation(p)}/transcript`),
  listVisitorConversations: op<VisitorConversations, undefined, Id & { limit?: number }>('GET',
    (p) => `/api/visitors/${seg(p.id)}/conversations${p.limit ? `?limit=${p.limit}` : ''}`),
} as const;

/** GET /api/me/conversations: repeated keys for lists, empty values left out. */
function historyQueryString(q: HistoryQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(q)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined && v !== '') params.append(key, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export type Operations = typeof operations;
