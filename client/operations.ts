import type { UserProfile } from '../domain/agents.js';
import type { ConversationStatus, ConversationSummary } from '../domain/conversation.js';
import type { ChatMessage, OutgoingText, RatingInput } from '../domain/messages.js';
import type { FileLimits, FileLinks } from '../domain/files.js';
import type { ComposerSettings, ConversationReceipts } from '../domain/composer.js';
import type { Method, Operation } from './rest.js';
import type { BlacklistSettings, BlockedContact, BlockedContactInput } from '../domain/blacklist.js';
import type { ChannelAvailability } from '../domain/availability.js';
import type { LeftMessage, LeftMessageFilter, LeftMessageInput } from '../domain/left-messages.js';
import type { PrechatAnswersInput, PrechatForm, PrechatFormInput, VisitorPrechatView } from '../domain/prechat.js';
import type { PageViewInput, VisitorContextView, VisitorPageInfo, VisitorProfilePatch, VisitorProfileView } from '../domain/visitor-context.js';
import type { AlertPreferences, AlertPreferencesPatch } from '../domain/alerts.js';
import type { LocalePreference } from '../domain/contracts/rest.js';
import type { IdentifyInput, IdentifyResponse, PublicWidgetConfig, WidgetSettings, WidgetSettingsPatch } from '../domain/widget.js';
import type { WorkbenchSettingsEvent as WorkbenchSettings } from '../domain/contracts/events.js';
import type { NoteInput, NoteMentionEvent } from '../domain/notes.js';
import type { SupportedLocale } from '../domain/locales.js';
import type { CallReason, Classification, ClassificationInput, ClosingSettings, Tag } from '../domain/classification.js';
import type { CannedFields, CannedScope, CannedSettings } from '../domain/canned/schema.js';
import type { CannedImportResult, CannedList, CannedMatch, CannedResponse } from '../domain/contracts/rest.js';
import type { ConversationRecord, SearchPage } from '../domain/contracts/rest.js';
import type { SearchFilters as SearchQuery } from '../domain/search.js';
import type { FlowScenario, PreviewHttpCall } from '../domain/contracts/rest.js';
import type { ScenarioScript } from '../domain/flow/scenario-schema.js';
import type { Wallboard, WallboardSettings } from '../domain/wallboard.js';
import type { ReportQuery } from '../domain/reports/filter.js';
import type { ReportName, ReportsByName, ServiceRecord } from '../domain/reports/schemas.js';
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
/** `?a=1&b=x` of the defined values, or ''. */
const queryOf = (q: Record<string, string | number | undefined>) => {
  const parts = Object.entries(q).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${seg(k)}=${seg(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
};
type CannedListQuery = { q?: string; scope?: 'all' | CannedScope; limit?: number };

/** GET /api/reports/<name>.csv: the report's filter, the rows as text. */
function reportCsv(report: ReportName | 'facts'): Operation<ReportQuery, undefined, string> {
  return { method: 'GET', path: (p: ReportQuery) => `/api/reports/${report}.csv${queryOf(p)}`, responseType: 'text' };
}

export const operations = {
  // auth
  login: fixed<LoginResponse, { email: string; password: string }>('POST', '/api/auth/login'),
  logout: fixed<Ok, Record<string, never>>('POST', '/api/auth/logout'),
  getMe: fixed<UserProfile>('GET', '/api/auth/me'),
  getPublicConfig: fixed<PublicConfig>('GET', '/api/config'),

  // visitor
  createVisitorSession: fixed<VisitorSessionResponse, { displayName?: string; channel?: string; embedOrigin?: string }>('POST', '/api/visitor/session'),
  startConversation: fixed<ConversationSummary, { channel?: string; new?: boolean; page?: VisitorPageInfo; locale?: SupportedLocale; embedOrigin?: string }>('POST', '/api/visitor/conversations'),
  // the embeddable widget (issue 19)
  identifyVisitor: fixed<IdentifyResponse, IdentifyInput>('POST', '/api/visitor/identify'),
  setVisitorAttributes: fixed<{ ok: true }, { channel: string; embedOrigin?: string; attributes: Record<string, string> }>('POST', '/api/visitor/attributes'),
  getWidgetConfig: op<PublicWidgetConfig, undefined, { channel: string }>('GET', (p) => `/api/widget/${seg(p.channel)}`),
  listWidgetSettings: fixed<{ channels: WidgetSettings[] }>('GET', '/api/widget-settings'),
  getWidgetSettings: op<WidgetSettings, undefined, { channel: string }>('GET', (p) => `/api/channels/${seg(p.channel)}/widget-settings`),
  updateWidgetSettings: op<WidgetSettings, WidgetSettingsPatch, { channel: string }>('PATCH', (p) => `/api/channels/${seg(p.channel)}/widget-settings`),
  rotateWidgetIdentitySecret: op<WidgetSettings, Record<string, never>, { channel: string }>('POST', (p) => `/api/channels/${seg(p.channel)}/widget-settings/identity-secret`),

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
  // alerts (issue 18): the agent's own alert switches, and the desk settings the workbench shows controls by
  getMyAlertPreferences: fixed<AlertPreferences>('GET', '/api/me/preferences/alerts'),
  updateMyAlertPreferences: fixed<AlertPreferences, AlertPreferencesPatch>('PUT', '/api/me/preferences/alerts'),
  // i18n (issue 19): the staff member's language
  getMyLocale: fixed<LocalePreference>('GET', '/api/me/preferences/locale'),
  updateMyLocale: fixed<LocalePreference, LocalePreference>('PUT', '/api/me/preferences/locale'),
  getWorkbenchSettings: fixed<WorkbenchSettings>('GET', '/api/settings/workbench'),

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
  transferConversation: op<TransferAnswer, ({ toAgentId: string } | { toTeamId: string }) & { note?: string }, Id>('POST', (p) => `${conversation(p)}/transfer`),
  answerTransfer: op<{ outcome: 'accepted' | 'rejected' }, { accept: boolean }, { transferId: string }>('POST',
    (p) => `/api/transfers/${seg(p.transferId)}/answer`),

  // blacklist
  blockVisitor: op<{ blocked: true; closed: number }, { reason?: string }, Id>('POST', (p) => `/api/visitors/${seg(p.id)}/block`),
  unblockVisitor: op<{ blocked: false }, { reason?: string }, Id>('POST', (p) => `/api/visitors/${seg(p.id)}/unblock`),
  getVisitorBlacklistLog: op<BlacklistState, undefined, Id>('GET', (p) => `/api/visitors/${seg(p.id)}/blacklist-log`),
  getBlacklistSettings: fixed<BlacklistSettings>('GET', '/api/settings/blacklist'),
  updateBlacklistSettings: fixed<BlacklistSettings, Partial<BlacklistSettings>>('PUT', '/api/settings/blacklist'),
  listBlockedContacts: fixed<{ contacts: BlockedContact[] }>('GET', '/api/blocked-contacts'),
  blockContact: fixed<{ contact: BlockedContact; closed: number }, BlockedContactInput>('POST', '/api/blocked-contacts'),
  unblockContact: op<Ok, undefined, { contactId: number }>('DELETE', (p) => `/api/blocked-contacts/${p.contactId}`),

  // the visitor in context (issue 18)
  getVisitorContext: op<VisitorContextView, undefined, Id>('GET', (p) => `${conversation(p)}/visitor-context`),
  getVisitorProfile: op<VisitorProfileView, undefined, Id>('GET', (p) => `/api/visitors/${seg(p.id)}/profile`),
  updateVisitorProfile: op<VisitorProfileView, VisitorProfilePatch, Id>('PATCH', (p) => `/api/visitors/${seg(p.id)}/profile`),
  setVisitorVip: op<VisitorProfileView, { vip: boolean }, Id>('PUT', (p) => `/api/visitors/${seg(p.id)}/vip`),
  reportPageView: fixed<{ ok: true }, PageViewInput>('POST', '/api/visitor/page-views'),

  // flows
  listFlows: fixed<{ flows: FlowSummary[] }>('GET', '/api/flows'),
  createFlow: fixed<FlowDetail, { id: string; name: string; channel: string; draft?: Record<string, unknown> }>('POST', '/api/flows'),
  getFlow: op<FlowDetail, undefined, Id>('GET', (p) => `/api/flows/${seg(p.id)}`),
  saveFlowDraft: op<FlowDetail, { draft: Record<string, unknown>; name?: string; channel?: string; revision?: number }, Id>('PUT', (p) => `/api/flows/${seg(p.id)}`),
  validateFlow: op<FlowValidation, { definition?: Record<string, unknown> }, Id>('POST', (p) => `/api/flows/${seg(p.id)}/validate`),
  publishFlow: op<FlowVersion, Record<string, never>, Id>('POST', (p) => `/api/flows/${seg(p.id)}/publish`),
  listFlowVersions: op<{ versions: FlowVersionSummary[] }, undefined, Id>('GET', (p) => `/api/flows/${seg(p.id)}/versions`),
  getFlowVersion: op<FlowVersion, undefined, Id & { version: number }>('GET', (p) => `/api/flows/${seg(p.id)}/versions/${p.version}`),
  restoreFlowVersion: op<FlowDetail, { revision: number }, Id & { version: number }>('POST', (p) => `/api/flows/${seg(p.id)}/versions/${p.version}/restore`),
  rollBackFlow: op<FlowVersion, Record<string, never>, Id & { version: number }>('POST', (p) => `/api/flows/${seg(p.id)}/versions/${p.version}/rollback`),
  // issue 20: a flow's test scenarios (api/routes/flow-scenarios.ts)
  listFlowScenarios: op<{ scenarios: FlowScenario[] }, undefined, Id>('GET', (p) => `/api/flows/${seg(p.id)}/scenarios`),
  createFlowScenario: op<FlowScenario, { name: string; script: ScenarioScript }, Id>('POST', (p) => `/api/flows/${seg(p.id)}/scenarios`),
  renameFlowScenario: op<FlowScenario, { name: string }, Id & { scenarioId: string }>('PATCH', (p) => `/api/flows/${seg(p.id)}/scenarios/${seg(p.scenarioId)}`),
  callPreviewHttp: op<PreviewHttpCall, { url: string; method: 'GET' | 'POST'; payload: Record<string, string>; timeoutMs: number }, Id>('POST',
    (p) => `/api/flows/${seg(p.id)}/preview/http-call`),
  deleteFlowScenario: op<Ok, undefined, Id & { scenarioId: string }>('DELETE', (p) => `/api/flows/${seg(p.id)}/scenarios/${seg(p.scenarioId)}`),

  // files (the upload's body is the file's bytes, not JSON: web/common/files/upload.ts sends it; tests use `fetch`)
  getFileLimits: fixed<FileLimits>('GET', '/api/files/limits'),
  uploadFile: op<{ message: ChatMessage }, undefined, Id & { clientId: string; name: string }>('POST',
    (p) => `${conversation(p)}/files?clientId=${seg(p.clientId)}&name=${seg(p.name)}`),
  getFileLinks: op<FileLinks, undefined, Id & { fileId: string }>('GET', (p) => `${conversation(p)}/files/${seg(p.fileId)}/links`),
  // composer
  getConversationReceipts: op<ConversationReceipts, undefined, Id>('GET', (p) => `${conversation(p)}/receipts`),
  getComposerSettings: fixed<ComposerSettings>('GET', '/api/settings/composer'),
  updateComposerSettings: fixed<ComposerSettings, Partial<ComposerSettings>>('PUT', '/api/settings/composer'),
  // notes and classification (issue 18)
  addNote: op<{ message: ChatMessage }, NoteInput, Id>('POST', (p) => `${conversation(p)}/notes`),
  listMentions: fixed<{ mentions: NoteMentionEvent[] }>('GET', '/api/mentions'),
  listTags: op<{ tags: Tag[] }, undefined, { archived?: boolean } | void>('GET', (p) => `/api/tags${p && p.archived ? '?archived=true' : ''}`),
  createTag: fixed<Tag, { name: string; colour: string }>('POST', '/api/tags'),
  updateTag: op<Tag, { name?: string; colour?: string; archived?: boolean }, { tagId: string }>('PATCH', (p) => `/api/tags/${seg(p.tagId)}`),
  archiveTag: op<Tag, undefined, { tagId: string }>('DELETE', (p) => `/api/tags/${seg(p.tagId)}`),
  listCallReasons: op<{ callReasons: CallReason[] }, undefined, { archived?: boolean } | void>('GET',
    (p) => `/api/call-reasons${p && p.archived ? '?archived=true' : ''}`),
  createCallReason: fixed<CallReason, { name: string }>('POST', '/api/call-reasons'),
  updateCallReason: op<CallReason, { name?: string; archived?: boolean }, { reasonId: string }>('PATCH', (p) => `/api/call-reasons/${seg(p.reasonId)}`),
  getClassification: op<Classification, undefined, Id>('GET', (p) => `${conversation(p)}/classification`),
  setClassification: op<Classification, ClassificationInput, Id>('PUT', (p) => `${conversation(p)}/classification`),
  getClosingSettings: fixed<ClosingSettings>('GET', '/api/settings/closing'),
  updateClosingSettings: fixed<ClosingSettings, Partial<ClosingSettings>>('PUT', '/api/settings/closing'),
  // canned responses
  listCannedResponses: op<CannedList, undefined, CannedListQuery | void>('GET', (p) => `/api/canned-responses${queryOf(p ?? {})}`),
  createCannedResponse: fixed<CannedResponse, CannedFields & { scope: CannedScope }>('POST', '/api/canned-responses'),
  updateCannedResponse: op<CannedResponse, Partial<CannedFields>, Id>('PATCH', (p) => `/api/canned-responses/${seg(p.id)}`),
  deleteCannedResponse: op<Ok, undefined, Id>('DELETE', (p) => `/api/canned-responses/${seg(p.id)}`),
  lookupCannedResponses: op<{ responses: CannedMatch[]; more: boolean }, undefined, Id & { q?: string; limit?: number }>('GET',
    (p) => `${conversation(p)}/canned-responses${queryOf({ q: p.q, limit: p.limit })}`),
  exportCannedResponses: { method: 'GET', path: (p: { scope: CannedScope }) => `/api/canned-responses/export${queryOf(p)}`, responseType: 'text' } as Operation<{ scope: CannedScope }, undefined, string>,
  /** The body is the CSV text itself. */
  importCannedResponses: { method: 'POST', path: (p: { scope: CannedScope }) => `/api/canned-responses/import${queryOf(p)}`, bodyType: 'csv' } as Operation<{ scope: CannedScope }, string, CannedImportResult>,
  getCannedSettings: fixed<CannedSettings>('GET', '/api/settings/canned-responses'),
  updateCannedSettings: fixed<CannedSettings, CannedSettings>('PUT', '/api/settings/canned-responses'),
  // history
  listMyConversations: op<HistoryPage, undefined, HistoryQuery | void>('GET', (p) => `/api/me/conversations${historyQueryString(p || {})}`),
  getTranscript: op<Transcript, undefined, Id>('GET', (p) => `${conversation(p)}/transcript`),
  listVisitorConversations: op<VisitorConversations, undefined, Id & { limit?: number }>('GET',
    (p) => `/api/visitors/${seg(p.id)}/conversations${p.limit ? `?limit=${p.limit}` : ''}`),
  // when nobody can answer (issue 19)
  getChannelAvailability: op<ChannelAvailability, undefined, { channel: string }>('GET', (p) => `/api/channels/${seg(p.channel)}/availability`),
  leaveMessage: fixed<{ leftMessage: LeftMessage; conversation: ConversationSummary }, LeftMessageInput>('POST', '/api/visitor/left-message'),
  listLeftMessages: op<{ leftMessages: LeftMessage[] }, undefined, { status?: LeftMessageFilter; limit?: number } | void>('GET',
    (p) => `/api/left-messages${queryOf(p ?? {})}`),
  setLeftMessageHandled: op<LeftMessage, { handled: boolean }, Id>('PUT', (p) => `/api/left-messages/${seg(p.id)}/handled`),
  // the visitor's chat (issue 19): pre-chat forms, transcripts
  listPrechatForms: fixed<Array<{ channel: string; form: PrechatForm; updatedAt: string }>>('GET', '/api/prechat-forms'),
  getPrechatForm: op<PrechatForm, undefined, { channel: string }>('GET', (p) => `/api/channels/${seg(p.channel)}/prechat-form`),
  savePrechatForm: op<PrechatForm, PrechatFormInput, { channel: string }>('PUT', (p) => `/api/channels/${seg(p.channel)}/prechat-form`),
  getVisitorPrechat: op<VisitorPrechatView, undefined, { channel?: string } | void>('GET', (p) => `/api/visitor/prechat${queryOf({ channel: p ? p.channel : undefined })}`),
  submitVisitorPrechat: fixed<VisitorPrechatView, PrechatAnswersInput>('POST', '/api/visitor/prechat'),
  getTranscriptEmailAvailability: fixed<{ available: boolean }>('GET', '/api/visitor/transcript-email'),
  downloadTranscript: { method: 'GET', path: (p: Id & { locale?: string }) => `/api/visitor/conversations/${seg(p.id)}/transcript${queryOf({ locale: p.locale })}`, responseType: 'text' } as Operation<Id & { locale?: string }, undefined, string>,
  emailTranscript: op<{ sentTo: string }, { to?: string; locale?: string }, Id>('POST', (p) => `/api/visitor/conversations/${seg(p.id)}/transcript/email`),
  // issue 21: admin search, its CSV, a conversation's record and staff transcript exports
  searchConversations: op<SearchPage, undefined, SearchQuery & { cursor?: string; limit?: number }>('GET', (p) => `/api/search/conversations${historyQueryString(p)}`),
  exportConversationSearch: { method: 'GET', path: (p: SearchQuery) => `/api/search/conversations.csv${historyQueryString(p)}`, responseType: 'text' } as Operation<SearchQuery, undefined, string>,
  getConversationRecord: op<ConversationRecord, undefined, Id>('GET', (p) => `${conversation(p)}/record`),
  exportTranscript: { method: 'GET', path: (p: Id & { format?: 'text' | 'json'; locale?: string }) => `${conversation(p)}/transcript/export${queryOf({ format: p.format, locale: p.locale })}`, responseType: 'text' } as Operation<Id & { format?: 'text' | 'json'; locale?: string }, undefined, string>,
  // the live wallboard (issue 21)
  getWallboard: fixed<Wallboard>('GET', '/api/wallboard'),
  getWallboardSettings: fixed<WallboardSettings>('GET', '/api/settings/wallboard'),
  updateWallboardSettings: fixed<WallboardSettings, Partial<WallboardSettings>>('PUT', '/api/settings/wallboard'),
  // reports (issue 21): every report takes the same filter (domain/reports/filter.ts); `.csv` streams its rows
  getVolumeReport: op<ReportsByName['volume'], undefined, ReportQuery>('GET', (p) => `/api/reports/volume${queryOf(p)}`),
  getTimesReport: op<ReportsByName['times'], undefined, ReportQuery>('GET', (p) => `/api/reports/times${queryOf(p)}`),
  getQualityReport: op<ReportsByName['quality'], undefined, ReportQuery>('GET', (p) => `/api/reports/quality${queryOf(p)}`),
  getAgentsReport: op<ReportsByName['agents'], undefined, ReportQuery>('GET', (p) => `/api/reports/agents${queryOf(p)}`),
  getTransfersReport: op<ReportsByName['transfers'], undefined, ReportQuery>('GET', (p) => `/api/reports/transfers${queryOf(p)}`),
  getOffersReport: op<ReportsByName['offers'], undefined, ReportQuery>('GET', (p) => `/api/reports/offers${queryOf(p)}`),
  /** The caller's own service record (agentId is the caller's; another agent's is refused). */
  getMyServiceRecord: op<ServiceRecord, undefined, Omit<ReportQuery, 'agentId'>>('GET', (p) => `/api/reports/me${queryOf(p)}`),
  /** A report's rows as CSV (one operation per report, as documented); `facts`: one row per conversation in the range. */
  getVolumeReportCsv: reportCsv('volume'),
  getTimesReportCsv: reportCsv('times'),
  getQualityReportCsv: reportCsv('quality'),
  getAgentsReportCsv: reportCsv('agents'),
  getTransfersReportCsv: reportCsv('transfers'),
  getOffersReportCsv: reportCsv('offers'),
  exportReportFactsCsv: reportCsv('facts'),
} as const;

/** GET /api/me/conversations: repeated keys for lists, empty values left out. */
function historyQueryString(q: HistoryQuery | SearchQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(q)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined && v !== '') params.append(key, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export type Operations = typeof operations;
