import { sql } from 'drizzle-orm';
import {
  bigint, bigserial, customType, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import type { MessageBody } from '../domain/messages.js';
import type { FlowDefinitionInput } from '../domain/flow/schema.js';
import type { PrechatForm } from '../domain/prechat.js';
import type { PublishedScenario, ScenarioScript } from '../domain/flow/scenario-schema.js';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  nickname: text('nickname').notNull(),
  role: text('role', { enum: ['admin', 'agent'] }).notNull(),
  passwordHash: text('password_hash').notNull(),
  maxConversations: integer('max_conversations').notNull().default(3),
  disabled: boolean('disabled').notNull().default(false),
  /**
   * Staff tokens carry the version they were issued under; a token whose version differs is refused.
   * Raised on a password or role change, a disable and a restore, so every earlier token stops working.
   */
  tokenVersion: integer('token_version').notNull().default(0),
  createdAt: createdAt(),
});

export const teams = pgTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  strategy: text('strategy').notNull().default('longest-idle'),
  createdAt: createdAt(),
});

export const teamMembers = pgTable('team_members', {
  teamId: text('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.teamId, t.userId] })]);

export const visitors = pgTable('visitors', {
  id: uuid('id').primaryKey(),
  displayName: text('display_name').notNull(),
  vip: boolean('vip').notNull().default(false),
  blocked: boolean('blocked').notNull().default(false),
  createdAt: createdAt(),
  // The visitor's profile (issue 18, context panel): edited by staff, every change in visitor_profile_audit.
  email: text('email'),
  phone: text('phone'),
  company: text('company'),
  attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
  // Issue 19, Parley.identify: the site's user id for this visitor, on which channel, and whether its hash checked out.
  // A verified (channel, external id) is one visitor across devices; a claimed one stays on its own visitor.
  identity: text('identity', { enum: ['anonymous', 'verified', 'unverified'] }).notNull().default('anonymous'),
  externalId: text('external_id'),
  identityChannel: text('identity_channel'),
}, (t) => [
  uniqueIndex('visitors_verified_identity_uq').on(t.identityChannel, t.externalId).where(sql`${t.identity} = 'verified'`),
  // Issue 21, admin search by visitor (db/search.ts): any part of a name, e-mail or phone (pg_trgm, 0011).
  index('visitors_name_trgm_idx').using('gin', t.displayName.op('gin_trgm_ops')),
  index('visitors_email_trgm_idx').using('gin', t.email.op('gin_trgm_ops')),
  index('visitors_phone_trgm_idx').using('gin', t.phone.op('gin_trgm_ops')),
  index('visitors_external_id_idx').on(t.externalId),
]);

/** Projection of conversation state, written by the workflow's activities; the workflow is the source of truth. */
export const conversations = pgTable('conversations', {
  id: uuid('id').primaryKey(),
  workflowId: text('workflow_id').notNull(),
  visitorId: uuid('visitor_id').notNull().references(() => visitors.id),
  channel: text('channel').notNull(),
  status: text('status').notNull(),
  agentId: uuid('agent_id'),
  teamId: text('team_id'),
  flowId: text('flow_id').notNull(),
  flowVersion: integer('flow_version').notNull(),
  queuePosition: integer('queue_position'),
  closedBy: text('closed_by'),
  rating: integer('rating'),
  /** Monotonic workflow-side revision so late projection writes never overwrite newer ones. */
  revision: integer('revision').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  endedAt: timestamp('ended_at', { withTimezone: true }),
  /** The service flow's variables (form answers, …) as last projected by the workflow (issue 18, context panel). */
  flowVars: jsonb('flow_vars').$type<Record<string, string>>().notNull().default({}),
  /** Issue 19: the visitor's locale (domain/locales.ts) its flow texts are said in; null: the flow's default locale. */
  locale: text('locale'),
}, (t) => [index('conversations_status_idx').on(t.status), index('conversations_visitor_idx').on(t.visitorId), index('conversations_agent_idx').on(t.agentId),
  // Issue 21, admin search (db/search.ts): newest first by keyset, overall and within a team. Ascending on
  // purpose: read backwards they give `order by created_at desc, id desc` (nulls first), which a
  // `desc nulls last` index would not.
  index('conversations_created_idx').on(t.createdAt, t.id),
  index('conversations_team_created_idx').on(t.teamId, t.createdAt)]);

export const messages = pgTable('messages', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull().unique(),
  conversationId: uuid('conversation_id').notNull().references(() => conversations.id),
  sender: text('sender', { enum: ['visitor', 'agent', 'bot', 'system'] }).notNull(),
  senderId: text('sender_id'),
  senderName: text('sender_name'),
  body: jsonb('body').$type<MessageBody>().notNull(),
  /** Client-chosen id (visitor/agent messages) or deterministic workflow key (bot/system): makes every write idempotent. */
  clientId: text('client_id'),
  /** Issue 18: a private note (body kind `note`): only staff read it; never in the visitor's transcript or the chat timers. */
  staffOnly: boolean('staff_only').notNull().default(false),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('messages_conversation_client_uq').on(t.conversationId, t.clientId),
  index('messages_conversation_seq_idx').on(t.conversationId, t.seq),
  // Message search (full-text and trigram GIN indexes over parley_search_text/parley_search_tsv) is
  // custom SQL: db/migrations/0011_history_search.sql, queried by db/history.ts.
]);

export const ratings = pgTable('ratings', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  conversationId: uuid('conversation_id').notNull().references(() => conversations.id),
  score: integer('score').notNull(),
  comment: text('comment'),
  /** Whether this submission is the one that counts under the flow's first/last policy. */
  counted: boolean('counted').notNull(),
  requestId: text('request_id').notNull().unique(),
  createdAt: createdAt(),
  // Issue 19 (rating options): the scale scored against, the score's label then, "was it resolved?" (null: not asked).
  scale: integer('scale'),
  label: text('label'),
  resolved: boolean('resolved'),
}, (t) => [
  // Issue 21: a conversation's ratings (the transcript screen, the search's "has a comment", the reporting projection).
  index('ratings_conversation_idx').on(t.conversationId),
]);

export const flows = pgTable('flows', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  channel: text('channel').notNull().unique(),
  draft: jsonb('draft').$type<FlowDefinitionInput>().notNull(),
  /** Bumped by every draft save; a save naming an older revision is refused (two admins never overwrite each other). */
  revision: integer('revision').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const flowVersions = pgTable('flow_versions', {
  flowId: text('flow_id').notNull().references(() => flows.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  definition: jsonb('definition').$type<FlowDefinitionInput>().notNull(),
  publishedBy: uuid('published_by'),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  /** Issue 20: a roll-back re-publishes an older version's definition as the next version; this names that older version. */
  restoredFrom: integer('restored_from'),
  /** Issue 20: the test scenarios the version passed when it was published (a copy; the draft's live in flow_scenarios). */
  scenarios: jsonb('scenarios').$type<PublishedScenario[]>().notNull().default([]),
}, (t) => [primaryKey({ columns: [t.flowId, t.version] })]);

/** Issue 20: test scenarios recorded in the designer's preview, saved with the flow and run on every publish. */
export const flowScenarios = pgTable('flow_scenarios', {
  id: uuid('id').primaryKey().defaultRandom(),
  flowId: text('flow_id').notNull().references(() => flows.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  script: jsonb('script').$type<ScenarioScript>().notNull(),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('flow_scenarios_name_uq').on(t.flowId, t.name)]);

export const agentStatusLog = pgTable('agent_status_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  status: text('status').notNull(),
  reason: text('reason'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('agent_status_log_user_idx').on(t.userId, t.at)]);

export const transfers = pgTable('transfers', {
  id: text('id').primaryKey(),
  conversationId: uuid('conversation_id').notNull().references(() => conversations.id),
  fromAgentId: uuid('from_agent_id').notNull(),
  toAgentId: uuid('to_agent_id'),
  toTeamId: text('to_team_id'),
  outcome: text('outcome').notNull().default('pending'),
  createdAt: createdAt(),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
}, (t) => [
  // "My conversations" includes the ones an agent transferred away or took over (db/history.ts).
  index('transfers_from_agent_idx').on(t.fromAgentId),
  index('transfers_to_agent_idx').on(t.toAgentId),
  // Issue 21: a conversation's transfers (the transcript screen, the reporting projection); a range of request times (the transfers report).
  index('transfers_created_idx').on(t.createdAt),
  index('transfers_conversation_idx').on(t.conversationId),
]);

export const blacklistLog = pgTable('blacklist_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  visitorId: uuid('visitor_id').notNull().references(() => visitors.id),
  action: text('action', { enum: ['block', 'unblock'] }).notNull(),
  /** Optional since issue 22 (B3Networks: at most 250 characters). */
  reason: text('reason'),
  actorId: uuid('actor_id').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

/** Issue 22: e-mail addresses and phone numbers no visitor may start a conversation with (domain/blacklist.ts). */
export const blockedContacts = pgTable('blocked_contacts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: text('kind', { enum: ['email', 'phone'] }).notNull(),
  /** Normalized (normalizeContact). */
  value: text('value').notNull(),
  reason: text('reason'),
  actorId: uuid('actor_id').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('blocked_contacts_kind_value_uq').on(t.kind, t.value)]);

/**
 * The dispatcher's view of each agent, projected for lists and checks (the API never queries the
 * dispatcher workflow: see docs/faults.md). `revision` orders writes that may arrive out of order.
 */
export const agentPresence = pgTable('agent_presence', {
  agentId: uuid('agent_id').primaryKey(),
  deskId: text('desk_id').notNull(),
  status: text('status').notNull(),
  reason: text('reason'),
  maxConversations: integer('max_conversations').notNull(),
  conversationIds: jsonb('conversation_ids').$type<string[]>().notNull(),
  offeredIds: jsonb('offered_ids').$type<string[]>().notNull(),
  disconnected: boolean('disconnected').notNull(),
  revision: bigint('revision', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The dispatcher's queues, projected: one row per conversation that waited; `queued` false once it left. */
export const deskQueue = pgTable('desk_queue', {
  conversationId: uuid('conversation_id').primaryKey(),
  deskId: text('desk_id').notNull(),
  teamId: text('team_id'),
  vip: boolean('vip').notNull(),
  visitorName: text('visitor_name').notNull(),
  enqueuedAt: timestamp('enqueued_at', { withTimezone: true }).notNull(),
  seq: integer('seq').notNull(),
  position: integer('position').notNull(),
  queued: boolean('queued').notNull(),
  revision: bigint('revision', { mode: 'number' }).notNull(),
}, (t) => [
  index('desk_queue_waiting_idx').on(t.deskId, t.queued),
  // Issue 21: the wallboard's service level reads today's queue entries.
  index('desk_queue_enqueued_idx').on(t.deskId, t.enqueuedAt),
]);

/** Desk-wide settings (assignment strategy, service mode, limits) as one JSON document per key. */
export const deskSettings = pgTable('desk_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An agent's workbench preferences (alert switches, domain/alerts.ts), one JSON document per account. */
export const agentPreferences = pgTable('agent_preferences', {
  userId: uuid('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  alerts: jsonb('alerts').notNull(),
  /** The language chosen in the workbench or console (domain/locales.ts); null: the browser's. */
  locale: text('locale'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** Table the Socket.IO Postgres adapter uses for payloads larger than NOTIFY's 8 kB limit. */
export const socketIoAttachments = pgTable('socket_io_attachments', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).default(sql`now()`),
  payload: bytea('payload'),
});

/* ---- The visitor in context (issue 18): profile audit, where the chat started, the pages viewed ---- */

/** Every change of a visitor's profile: who, when, which field (`attributes.<key>` for one attribute), old → new. */
export const visitorProfileAudit = pgTable('visitor_profile_audit', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  visitorId: uuid('visitor_id').notNull().references(() => visitors.id),
  field: text('field').notNull(),
  oldValue: text('old_value'),
  newValue: text('new_value'),
  actorId: uuid('actor_id').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('visitor_profile_audit_visitor_idx').on(t.visitorId, t.at)]);

/** What the visitor's app reported when the conversation started (page, referrer, browser, language, time zone). */
export const conversationOrigins = pgTable('conversation_origins', {
  conversationId: uuid('conversation_id').primaryKey().references(() => conversations.id),
  pageUrl: text('page_url').notNull(),
  pageTitle: text('page_title'),
  referrer: text('referrer'),
  browser: text('browser'),
  os: text('os'),
  language: text('language'),
  timezoneOffset: integer('timezone_offset'),
  timeZone: text('time_zone'),
  createdAt: createdAt(),
});

/** Pages the visitor viewed during a conversation; the newest PROFILE_LIMITS.journey are kept. */
export const conversationPageViews = pgTable('conversation_page_views', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  conversationId: uuid('conversation_id').notNull().references(() => conversations.id),
  url: text('url').notNull(),
  title: text('title'),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [index('conversation_page_views_conversation_idx').on(t.conversationId, t.id)]);
/**
 * A file or image sent in a conversation (its `file` message points here). The bytes live in the
 * configured file storage under `storageKey` (and `thumbnailKey` for images): the `file_blobs` table
 * below by default, or an S3 bucket (api/files/storage.ts).
 */
export const files = pgTable('files', {
  id: uuid('id').primaryKey(),
  conversationId: uuid('conversation_id').notNull().references(() => conversations.id),
  /** Who uploaded it: 'visitor' or 'agent', and their id. */
  uploaderKind: text('uploader_kind', { enum: ['visitor', 'agent'] }).notNull(),
  uploaderId: text('uploader_id').notNull(),
  name: text('name').notNull(),
  /** The sniffed type (never the client's). */
  mime: text('mime').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  storageKey: text('storage_key').notNull(),
  thumbnailKey: text('thumbnail_key'),
  width: integer('width'),
  height: integer('height'),
  createdAt: createdAt(),
}, (t) => [index('files_conversation_idx').on(t.conversationId)]);

/** The embedded file storage: one row per stored object (FILE_STORAGE=database, the default). */
export const fileBlobs = pgTable('file_blobs', {
  key: text('key').primaryKey(),
  contentType: text('content_type').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  data: bytea('data').notNull(),
  createdAt: createdAt(),
});
/**
 * How far each reader has got in a conversation (composer slice): `reader` is `visitor` (what the visitor's
 * client received and showed: the agent's delivery/read ticks) or a staff user's id (their read position:
 * unread counts after a reload). Seqs only move forward.
 */
export const conversationReads = pgTable('conversation_reads', {
  conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
  reader: text('reader').notNull(),
  deliveredSeq: bigint('delivered_seq', { mode: 'number' }).notNull().default(0),
  readSeq: bigint('read_seq', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.conversationId, t.reader] })]);
// ---- Issue 18: notes, mentions, transfer notes, tags, call reasons, classification -------------------

/** Who a private note mentions; a mention also lets that agent read the conversation (docs/security.md). */
export const noteMentions = pgTable('note_mentions', {
  messageId: uuid('message_id').notNull(),
  conversationId: uuid('conversation_id').notNull().references(() => conversations.id),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.messageId, t.userId] }), index('note_mentions_user_idx').on(t.userId, t.conversationId)]);

/** The holder's note to the target of a transfer (stored by the API before the desk decides; keyed like `transfers`). */
export const transferNotes = pgTable('transfer_notes', {
  transferId: text('transfer_id').primaryKey(),
  conversationId: uuid('conversation_id').notNull().references(() => conversations.id),
  note: text('note').notNull(),
  createdAt: createdAt(),
});

/** Admin-managed tags; archived ones stay on the conversations that have them but are no longer offered. */
export const tags = pgTable('tags', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  colour: text('colour').notNull(),
  archived: boolean('archived').notNull().default(false),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('tags_name_uq').on(sql`lower(${t.name})`)]);

export const conversationTags = pgTable('conversation_tags', {
  conversationId: uuid('conversation_id').notNull().references(() => conversations.id),
  tagId: uuid('tag_id').notNull().references(() => tags.id),
  addedBy: uuid('added_by').notNull(),
  addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.conversationId, t.tagId] }), index('conversation_tags_tag_idx').on(t.tagId)]);

/** Admin-managed call reasons (Huawei) / dispositions. */
export const callReasons = pgTable('call_reasons', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  archived: boolean('archived').notNull().default(false),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('call_reasons_name_uq').on(sql`lower(${t.name})`)]);

/** A conversation's call reason, remarks and handled number (reference, at most 50 characters). */
export const conversationClassification = pgTable('conversation_classification', {
  conversationId: uuid('conversation_id').primaryKey().references(() => conversations.id),
  callReasonId: uuid('call_reason_id').references(() => callReasons.id),
  remarks: text('remarks'),
  handledNumber: text('handled_number'),
  updatedBy: uuid('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
/**
 * Canned responses: the organisation's (`owner_id` null, admins edit them) and each staff member's own.
 * A shortcut (stored lower case) is unique within its scope: the organisation's list, or one owner's list.
 */
export const cannedResponses = pgTable('canned_responses', {
  id: uuid('id').primaryKey().defaultRandom(),
  ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'cascade' }),
  shortcut: text('shortcut').notNull(),
  title: text('title').notNull(),
  text: text('text').notNull(),
  category: text('category'),
  /** Title and category in lower case, written with them: what a lookup's `q` is searched in (strpos, no ILIKE). */
  search: text('search').notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('canned_responses_org_shortcut_uq').on(t.shortcut).where(sql`${t.ownerId} is null`),
  uniqueIndex('canned_responses_owner_shortcut_uq').on(t.ownerId, t.shortcut).where(sql`${t.ownerId} is not null`),
  // The composer's lookup: shortcuts by prefix, in byte order, read from the index (db/canned-responses.ts lookupCanned).
  index('canned_responses_org_lookup_idx').on(sql`(${t.shortcut} collate "C")`).where(sql`${t.ownerId} is null`),
  index('canned_responses_owner_lookup_idx').on(t.ownerId, sql`(${t.shortcut} collate "C")`).where(sql`${t.ownerId} is not null`),
]);
// ---- Issue 19: when nobody can answer ----------------------------------------------------------------

/** A message a visitor left instead of waiting (domain/left-messages.ts); one per conversation, which it ends. */
export const leftMessages = pgTable('left_messages', {
  id: uuid('id').primaryKey(),
  conversationId: uuid('conversation_id').notNull().unique().references(() => conversations.id),
  visitorId: uuid('visitor_id').notNull().references(() => visitors.id),
  channel: text('channel').notNull(),
  reason: text('reason', { enum: ['nobodyOnline', 'outOfHours', 'waitLimit'] }).notNull(),
  name: text('name').notNull(),
  email: text('email'),
  phone: text('phone'),
  message: text('message').notNull(),
  createdAt: createdAt(),
  handledAt: timestamp('handled_at', { withTimezone: true }),
  handledBy: uuid('handled_by').references(() => users.id, { onDelete: 'set null' }),
}, (t) => [index('left_messages_created_idx').on(t.createdAt)]);

/** Issue 19: each channel's pre-chat form (domain/prechat.ts), edited by admins. */
export const prechatForms = pgTable('prechat_forms', {
  channel: text('channel').primaryKey(),
  form: jsonb('form').$type<PrechatForm>().notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Issue 19: a visitor's pre-chat answers, with the consent text they agreed to (kept as shown then). */
export const prechatSubmissions = pgTable('prechat_submissions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  visitorId: uuid('visitor_id').notNull().references(() => visitors.id),
  channel: text('channel').notNull(),
  answers: jsonb('answers').$type<Array<{ id: string; label: string; value: string }>>().notNull(),
  consentText: text('consent_text'),
  createdAt: createdAt(),
}, (t) => [index('prechat_submissions_visitor_idx').on(t.visitorId, t.createdAt)]);

/**
 * Issue 19: the embeddable widget of one channel (a flow's `channel`): the launcher's look, the origins
 * allowed to embed it (CSP frame-ancestors and the API's check), and the key of Parley.identify's HMAC.
 */
export const widgetSettings = pgTable('widget_settings', {
  channel: text('channel').primaryKey(),
  position: text('position', { enum: ['bottom-right', 'bottom-left'] }).notNull().default('bottom-right'),
  color: text('color').notNull().default('#2f6fde'),
  label: text('label').notNull().default('Chat with us'),
  icon: text('icon', { enum: ['chat', 'help', 'headset', 'mail'] }).notNull().default('chat'),
  allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull().default([]),
  identitySecret: text('identity_secret').notNull(),
  secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
// ---- Issue 21: reports (docs/metrics.md) ----------------------------------------------------------------

/**
 * One row per conversation with the numbers the reports aggregate, written off the chat path: by the
 * projection activity on each status change (db/reports/facts.ts) and by `backfillReportFacts` for existing
 * data. `queued_at`, `assigned_at`, `closed_at` are the first times the projection saw those statuses.
 */
export const reportFacts = pgTable('report_facts', {
  conversationId: uuid('conversation_id').primaryKey(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  channel: text('channel').notNull(),
  flowId: text('flow_id').notNull(),
  teamId: text('team_id'),
  /** The last agent who held it (the one it counts for in per-agent numbers). */
  agentId: uuid('agent_id'),
  status: text('status').notNull(),
  closedBy: text('closed_by'),
  queuedAt: timestamp('queued_at', { withTimezone: true }),
  assignedAt: timestamp('assigned_at', { withTimezone: true }),
  firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  /** Times it went back to the queue from an offer or an agent (a transfer to a team, a missed offer, an agent gone). */
  requeues: integer('requeues').notNull().default(0),
  transfers: integer('transfers').notNull().default(0),
  ratingInvited: boolean('rating_invited').notNull().default(false),
  /** The counted rating (the flow's first/last policy), normalised to 1–5: 1 + (score − 1) · 4 / (scale − 1). */
  ratingScore: integer('rating_score'),
  ratingNormalized: integer('rating_normalized'),
  ratingScale: integer('rating_scale'),
  ratingResolved: boolean('rating_resolved'),
  ratingHasComment: boolean('rating_has_comment').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('report_facts_started_idx').on(t.startedAt),
  index('report_facts_agent_started_idx').on(t.agentId, t.startedAt),
]);

/** Every offer of a conversation to an agent and how it ended (recorded by the desk's publishing activity and the reject route). */
export const reportOffers = pgTable('report_offers', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  conversationId: uuid('conversation_id').notNull(),
  agentId: uuid('agent_id').notNull(),
  offeredAt: timestamp('offered_at', { withTimezone: true }).notNull().defaultNow(),
  /** pending, accepted, rejected, missed (expired unanswered), withdrawn (taken by another path or the conversation closed). */
  outcome: text('outcome', { enum: ['pending', 'accepted', 'rejected', 'missed', 'withdrawn'] }).notNull().default('pending'),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
}, (t) => [
  index('report_offers_offered_idx').on(t.offeredAt),
  index('report_offers_pending_idx').on(t.conversationId, t.agentId).where(sql`${t.outcome} = 'pending'`),
]);
