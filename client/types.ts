import type { UserProfile } from '../domain/agents.js';
import type { ConversationStatus } from '../domain/conversation.js';
import type { AssignmentStrategy, DispatcherSettings } from '../domain/routing.js';
import type { BlacklistLogEntry, FlowProblem } from '../domain/contracts/rest.js';

/**
 * Request and response shapes of the REST endpoints, as the typed client (client/rest.ts) returns them.
 * Responses are the REST contract's own types (domain/contracts/rest.ts), imported as types only (no zod
 * in the bundle); request bodies and a few small answers are written out here.
 */
export type {
  AgentWithStatus, BlacklistLogEntry, DisableResult, FlowDetail, FlowProblem, FlowSummary, FlowVersion, FlowVersionSummary, QueueEntry, Team,
} from '../domain/contracts/rest.js';
export type { HistoryItem, HistoryPage, TagRef, Transcript, VisitorConversations } from '../domain/contracts/rest.js';

/** GET /api/me/conversations: filters (lists repeat the key), search and paging. */
export interface HistoryQuery {
  q?: string;
  status?: ConversationStatus[];
  /** YYYY-MM-DD (UTC) or an ISO date-time with offset */
  from?: string;
  to?: string;
  tag?: string[];
  rating?: Array<'1' | '2' | '3' | '4' | '5' | 'none'>;
  cursor?: string;
  limit?: number;
}

/** POST /api/auth/login. The staff session also arrives as HttpOnly cookies; `token` is for Bearer clients. */
export interface LoginResponse { token: string; user: UserProfile }
/** POST /api/visitor/session */
export interface VisitorSessionResponse { token: string; visitorId: string; displayName: string }
/** GET /api/config */
export interface PublicConfig { temporalUiUrl: string; namespace: string }

export interface AgentCreateInput {
  email: string;
  nickname: string;
  role: UserProfile['role'];
  password: string;
  maxConversations: number;
  teamIds: string[];
}

export type AgentPatch = Partial<Pick<AgentCreateInput, 'nickname' | 'role' | 'maxConversations' | 'teamIds' | 'password'>>;

export interface StatusHistoryEntry {
  status: string;
  reason: string | null;
  at: string;
}

export type { AssignmentStrategy };

/** GET/PUT /api/settings/routing */
export type RoutingSettings = DispatcherSettings;

/** POST /api/conversations/:id/transfer and the `agent:transfer` ack (docs/socket-events.md). */
export interface TransferAnswer {
  transferId: string;
  outcome: 'pending' | 'moved' | 'queued';
  toAgentId: string | null;
  expiresAt: string | null;
}

export interface BlacklistState {
  blocked: boolean;
  log: BlacklistLogEntry[];
}

/** POST /api/flows/:flowId/validate */
export interface FlowValidation {
  ok: boolean;
  problems: FlowProblem[];
}
