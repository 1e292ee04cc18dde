import type { AgentStatus, UserProfile } from '../shared/agents.js';
import type { AssignmentStrategy, DispatcherSettings } from '../shared/routing.js';

/**
 * Response shapes of the REST endpoints, as the typed client (client/rest.ts) returns them.
 * Routing settings and strategies are the shared schemas' own types (type-only imports: no zod in the
 * bundle). The other shapes are defined by zod schemas next to the API routes (`api/routes/*.ts`), which
 * import server code, so they are mirrored here; keep them in step with the routes.
 */

/** POST /api/auth/login. The staff session also arrives as HttpOnly cookies; `token` is for Bearer clients. */
export interface LoginResponse { token: string; user: UserProfile }
/** POST /api/visitor/session */
export interface VisitorSessionResponse { token: string; visitorId: string; displayName: string }
/** GET /api/config */
export interface PublicConfig { temporalUiUrl: string; namespace: string }

/** api/routes/agents.ts: AgentWithStatus */
export interface AgentWithStatus extends UserProfile {
  status: AgentStatus;
  /** Conversations held right now. */
  load: number;
  disabled: boolean;
}

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

/** api/routes/teams.ts: TeamSchema */
export interface Team {
  id: string;
  name: string;
  strategy: AssignmentStrategy;
  memberIds: string[];
}

/** GET/PUT /api/settings/routing */
export type RoutingSettings = DispatcherSettings;

/** api/routes/routing.ts: QueueEntrySchema, in service order (VIP first, then by arrival). */
export interface QueueEntry {
  conversationId: string;
  teamId: string | null;
  vip: boolean;
  visitorName: string;
  enqueuedAt: string;
  /** The position the visitor was last told (0 before they were told one). */
  position: number;
}

/** POST /api/conversations/:id/transfer and the `agent:transfer` ack (docs/socket-events.md). */
export interface TransferAnswer {
  transferId: string;
  outcome: 'pending' | 'moved' | 'queued';
  toAgentId: string | null;
  expiresAt: string | null;
}

/** api/routes/blacklist.ts */
export interface BlacklistLogEntry {
  action: 'block' | 'unblock';
  reason: string;
  actorId: string;
  at: string;
}

export interface BlacklistState {
  blocked: boolean;
  log: BlacklistLogEntry[];
}

/** api/routes/flows.ts */
export interface FlowProblem {
  nodeId: string | null;
  code: string;
  message: string;
}

export interface FlowSummary {
  id: string;
  name: string;
  channel: string;
  /** Highest published version; null while only a draft exists. */
  latestVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface FlowVersionSummary {
  version: number;
  publishedAt: string;
  publishedBy: string | null;
}

export interface FlowDetail extends FlowSummary {
  /** The draft as last saved; any JSON object (checked by validate and publish, not when saved). */
  draft: Record<string, unknown>;
  versions: FlowVersionSummary[];
}

export interface FlowVersion extends FlowVersionSummary {
  flowId: string;
  definition: Record<string, unknown>;
}

export interface FlowValidation {
  ok: boolean;
  problems: FlowProblem[];
}
