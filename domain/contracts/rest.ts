import { z } from 'zod';
import { AgentStatusSchema } from '../agents.js';
import { ConversationStatusSchema, LocaleSchema } from '../conversation.js';
import { ClosedBySchema, MessageBodySchema, SenderSchema } from '../messages.js';
import { AssignmentStrategySchema } from '../routing.js';
import { PublishedScenarioSchema, ScenarioInputSchema, ScenarioScriptSchema } from '../flow/scenario-schema.js';

/**
 * Response shapes of the REST API: the OpenAPI document is generated from them (api/http/route.ts) and
 * the web apps import their types (type-only, so zod is not bundled). Requests are validated by the
 * schemas next to each route.
 */
export const ConversationSummarySchema = z.object({
  id: z.uuid(), workflowId: z.string(), visitorId: z.uuid(), visitorName: z.string(), channel: z.string(),
  status: ConversationStatusSchema, agentId: z.uuid().nullable(), agentName: z.string().nullable(), teamId: z.string().nullable(),
  flowId: z.string(), flowVersion: z.number().int(), queuePosition: z.number().int().nullable(), closedBy: ClosedBySchema.nullable(),
  rating: z.number().int().nullable(), createdAt: z.string(), updatedAt: z.string(), endedAt: z.string().nullable(),
});

export const ChatMessageSchema = z.object({
  id: z.uuid(), conversationId: z.uuid(), seq: z.number().int(), sender: SenderSchema, senderId: z.string().nullable(),
  senderName: z.string().nullable(), body: MessageBodySchema, clientId: z.string().nullable(), createdAt: z.string(),
});

export const IdParams = z.object({ id: z.uuid({ error: 'id must be a conversation id (UUID)' }) });

export const UserProfileSchema = z.object({
  id: z.uuid(), email: z.string(), nickname: z.string(), role: z.enum(['admin', 'agent']), maxConversations: z.number().int(), teamIds: z.array(z.string()),
});

/** An account with its presence; `load` = conversations held right now. */
export const AgentWithStatusSchema = UserProfileSchema.extend({ status: AgentStatusSchema, load: z.number().int(), disabled: z.boolean() });
export type AgentWithStatus = z.infer<typeof AgentWithStatusSchema>;
/** `desk`: whether the desk (dispatcher workflow) has put the account offline yet; `pending` while Temporal is unreachable, caught up later. */
export const DisableResultSchema = AgentWithStatusSchema.extend({ desk: z.enum(['updated', 'pending']) });
export type DisableResult = z.infer<typeof DisableResultSchema>;

export const TeamSchema = z.object({ id: z.string(), name: z.string(), strategy: AssignmentStrategySchema, memberIds: z.array(z.uuid()) });
export type Team = z.infer<typeof TeamSchema>;

/** A queued conversation, in service order (VIP first, then by arrival); `position` is the one the visitor was last told (0 before). */
export const QueueEntrySchema = z.object({
  conversationId: z.uuid(), teamId: z.string().nullable(), vip: z.boolean(), visitorName: z.string(), enqueuedAt: z.string(), position: z.number().int(),
});
export type QueueEntry = z.infer<typeof QueueEntrySchema>;

export const BlacklistLogEntrySchema = z.object({ action: z.enum(['block', 'unblock']), reason: z.string().nullable(), actorId: z.uuid(), at: z.string() });
export type BlacklistLogEntry = z.infer<typeof BlacklistLogEntrySchema>;

/** One problem the flow validator found (domain/flow/validate.ts). */
export const FlowProblemSchema = z.object({ nodeId: z.string().nullable(), code: z.string(), message: z.string() });
export type FlowProblem = z.infer<typeof FlowProblemSchema>;
/** `restoredFrom`: set on a roll-back, the older version whose definition this version re-publishes (issue 20). */
export const FlowVersionSummarySchema = z.object({
  version: z.number().int(), publishedAt: z.string(), publishedBy: z.uuid().nullable(), restoredFrom: z.number().int().nullable(),
});
export type FlowVersionSummary = z.infer<typeof FlowVersionSummarySchema>;
/** `latestVersion`: the highest published version; null while only a draft exists. */
export const FlowSummarySchema = z.object({
  id: z.string(), name: z.string(), channel: z.string(), latestVersion: z.number().int().nullable(), createdAt: z.string(), updatedAt: z.string(),
});
export type FlowSummary = z.infer<typeof FlowSummarySchema>;
/** `draft`: as last saved, any JSON object (checked by validate and publish, not when saved). */
export const FlowDetailSchema = FlowSummarySchema.extend({
  draft: z.record(z.string(), z.unknown()), versions: z.array(FlowVersionSummarySchema),
  /** Bumped by every draft save; send it back with a save so someone else's newer save is never overwritten. */
  revision: z.number().int(),
});
export type FlowDetail = z.infer<typeof FlowDetailSchema>;
export const FlowVersionSchema = FlowVersionSummarySchema.extend({
  flowId: z.string(), definition: z.record(z.string(), z.unknown()),
  /** Issue 20: the test scenarios it passed when it was published. */
  scenarios: z.array(PublishedScenarioSchema),
});
export type FlowVersion = z.infer<typeof FlowVersionSchema>;
export const InvalidFlowSchema = z.object({
  error: z.object({ code: z.literal('invalid_flow'), message: z.string() }),
  problems: z.array(FlowProblemSchema),
});

/* Test scenarios (issue 20): shapes defined with their inputs in domain/flow/scenario-schema.ts. */
export const FlowScenarioSchema = z.object({
  id: z.uuid(), flowId: z.string(), name: z.string(), script: ScenarioScriptSchema, createdBy: z.uuid().nullable(),
  createdAt: z.string(), updatedAt: z.string(),
});
export type FlowScenario = z.infer<typeof FlowScenarioSchema>;
/** One scenario that did not go as recorded when publishing (domain/flow/scenarios.ts, ScenarioFailure). */
export const ScenarioFailureSchema = z.object({
  scenarioId: z.uuid(), name: z.string(), step: z.number().int(), input: ScenarioInputSchema.nullable(),
  reason: z.enum(['texts', 'not_waiting']),
  expected: z.array(z.string()), actual: z.array(z.string()), nodeId: z.string().nullable(), message: z.string(),
});
export type ScenarioFailureView = z.infer<typeof ScenarioFailureSchema>;
/** Publishing refused: a saved scenario fails on the draft (its first failure is in `error.message`). */
export const ScenariosFailedSchema = z.object({
  error: z.object({ code: z.literal('scenario_failed'), message: z.string() }),
  failures: z.array(ScenarioFailureSchema),
});
export { PublishedScenarioSchema };
/** The designer's "call it for real": the answer, or why there was none (refused by the outbound policy, or a network error). */
export const PreviewHttpCallSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('answered'), status: z.number().int(), body: z.string(), ms: z.number() }),
  z.object({ outcome: z.enum(['refused', 'failed']), error: z.string(), ms: z.number() }),
]);
export type PreviewHttpCall = z.infer<typeof PreviewHttpCallSchema>;

/* The visitor in context (issue 18): response shapes, defined with their inputs in domain/visitor-context.ts. */
export {
  ConversationContextSchema, PageViewSchema, ProfileAuditEntrySchema, VisitorContextViewSchema, VisitorProfileSchema, VisitorProfileViewSchema,
} from '../visitor-context.js';
// ---- alerts (issue 18): the agent's alert switches and the routing settings the workbench shows controls by ----
export { AlertPreferencesSchema, WorkbenchSettingsSchema } from '../alerts.js';
export type { AlertPreferences } from '../alerts.js';
/** A staff member's chosen language for the workbench and the console; null until they choose one (the browser's then). */
export const LocalePreferenceSchema = z.object({ locale: LocaleSchema.nullable() }).strict();
export type LocalePreference = z.infer<typeof LocalePreferenceSchema>;
/* ---- canned responses (api/routes/canned-responses.ts) ---- */
/** A canned response as the API shows it; a `personal` one is always the caller's own. `shortcut` is without its `/`. */
export const CannedResponseSchema = z.object({
  id: z.uuid(), scope: z.enum(['org', 'personal']), shortcut: z.string(), title: z.string(), text: z.string(), category: z.string().nullable(),
  updatedAt: z.string(),
});
export type CannedResponse = z.infer<typeof CannedResponseSchema>;
/** `total`: how many match the query (the list may be cut at `limit`). */
export const CannedListSchema = z.object({ responses: z.array(CannedResponseSchema), total: z.number().int() });
export type CannedList = z.infer<typeof CannedListSchema>;
/** A lookup in one conversation: each response with its text expanded for it (domain/canned/expand.ts). */
export const CannedMatchSchema = CannedResponseSchema.extend({ expanded: z.string() });
export type CannedMatch = z.infer<typeof CannedMatchSchema>;
export const CannedImportResultSchema = z.object({ created: z.number().int(), updated: z.number().int() });
export type CannedImportResult = z.infer<typeof CannedImportResultSchema>;
/** One bad row of a CSV import: its line in the file (1 = the header), the column, what is wrong. */
export const CsvProblemSchema = z.object({ line: z.number().int(), column: z.string().nullable(), message: z.string() });
export type CsvProblem = z.infer<typeof CsvProblemSchema>;
export const InvalidCsvSchema = z.object({
  error: z.object({ code: z.literal('invalid_csv'), message: z.string() }),
  problems: z.array(CsvProblemSchema),
});
// ── History and transcripts (issue 18, "My conversations") ──
/** A tag on a conversation, as the tags table names it (db/history.ts reads it when the table exists). */
export const TagRefSchema = z.object({ id: z.string(), name: z.string(), color: z.string().nullable() });
export type TagRef = z.infer<typeof TagRefSchema>;
/** Plain text around a match and where the matches are in it (UTF-16 offsets): the web app highlights them as text. */
export const SnippetSchema = z.object({
  text: z.string(), highlights: z.array(z.object({ start: z.number().int(), length: z.number().int() })), before: z.boolean(), after: z.boolean(),
});
export const HistoryItemSchema = z.object({
  conversation: ConversationSummarySchema,
  tags: z.array(TagRefSchema),
  /** With a search: the latest matching message of the conversation. */
  match: z.object({ messageId: z.uuid(), seq: z.number().int(), sender: SenderSchema, createdAt: z.string(), snippet: SnippetSchema }).nullable(),
});
export type HistoryItem = z.infer<typeof HistoryItemSchema>;
/**
 * One page, newest first. `nextCursor`: pass it as `cursor` for the next page (null: no more).
 * `matched`: `words` when the search matched words or their starts; `partial` when none did and it fell
 * back to the terms anywhere inside words (trigram index); null without a search.
 */
export const HistoryPageSchema = z.object({ items: z.array(HistoryItemSchema), nextCursor: z.string().nullable(), matched: z.enum(['words', 'partial']).nullable() });
export type HistoryPage = z.infer<typeof HistoryPageSchema>;
/** A read-only transcript: the conversation and all its messages, oldest first. */
export const TranscriptSchema = z.object({ conversation: ConversationSummarySchema, tags: z.array(TagRefSchema), messages: z.array(ChatMessageSchema) });
export type Transcript = z.infer<typeof TranscriptSchema>;
/** A visitor's earlier conversations, newest first (the one being served is left out). */
export const VisitorConversationsSchema = z.object({
  conversations: z.array(z.object({ conversation: ConversationSummarySchema, tags: z.array(TagRefSchema) })),
});
export type VisitorConversations = z.infer<typeof VisitorConversationsSchema>;

// Issue 21, admin search (api/routes/search.ts; domain/search.ts).
/** One page of the admin search: `total` counts every match up to `capped` (then: more than `count`). */
export const SearchPageSchema = HistoryPageSchema.extend({
  total: z.object({ count: z.number().int(), capped: z.boolean() }),
});
export type SearchPage = z.infer<typeof SearchPageSchema>;
/** What a transcript screen shows beside the messages: ratings, transfers and the status timeline. */
export const ConversationRecordSchema = z.object({
  ratings: z.array(z.object({
    score: z.number().int(), scale: z.number().int().nullable(), label: z.string().nullable(), comment: z.string().nullable(),
    resolved: z.boolean().nullable(), counted: z.boolean(), createdAt: z.string(),
  })),
  transfers: z.array(z.object({
    id: z.string(), fromAgentId: z.uuid(), fromAgentName: z.string().nullable(), toAgentId: z.uuid().nullable(), toAgentName: z.string().nullable(),
    toTeamId: z.string().nullable(), toTeamName: z.string().nullable(), outcome: z.string(), createdAt: z.string(), resolvedAt: z.string().nullable(),
  })),
  /** Oldest first: started, what Parley told the visitor (queue, transfer, timeout, end, rating), transfers and ratings, ended. */
  timeline: z.array(z.object({
    at: z.string(),
    kind: z.enum(['started', 'queue', 'notice', 'transfer', 'timeout', 'end', 'rating-invite', 'rating-result', 'leave-message', 'transfer-requested', 'transfer-resolved', 'ended']),
    text: z.string().nullable(),
  })),
});
export type ConversationRecord = z.infer<typeof ConversationRecordSchema>;
