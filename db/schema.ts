import { sql } from 'drizzle-orm';
import {
  bigint, bigserial, customType, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import type { MessageBody } from '../domain/messages.js';
import type { FlowDefinitionInput } from '../domain/flow/schema.js';

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
});

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
}, (t) => [index('conversations_status_idx').on(t.status), index('conversations_visitor_idx').on(t.visitorId), index('conversations_agent_idx').on(t.agentId)]);

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
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('messages_conversation_client_uq').on(t.conversationId, t.clientId),
  index('messages_conversation_seq_idx').on(t.conversationId, t.seq),
  // Message search (full-text and trigram GIN indexes over parley_search_text/parley_search_tsv) is
  // custom SQL: db/migrations/*_history_extra.sql, queried by db/history.ts.
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
});

export const flows = pgTable('flows', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  channel: text('channel').notNull().unique(),
  draft: jsonb('draft').$type<FlowDefinitionInput>().notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const flowVersions = pgTable('flow_versions', {
  flowId: text('flow_id').notNull().references(() => flows.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  definition: jsonb('definition').$type<FlowDefinitionInput>().notNull(),
  publishedBy: uuid('published_by'),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.flowId, t.version] })]);

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
]);

export const blacklistLog = pgTable('blacklist_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  visitorId: uuid('visitor_id').notNull().references(() => visitors.id),
  action: text('action', { enum: ['block', 'unblock'] }).notNull(),
  reason: text('reason').notNull(),
  actorId: uuid('actor_id').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

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
}, (t) => [index('desk_queue_waiting_idx').on(t.deskId, t.queued)]);

/** Desk-wide settings (assignment strategy, service mode, limits) as one JSON document per key. */
export const deskSettings = pgTable('desk_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** Table the Socket.IO Postgres adapter uses for payloads larger than NOTIFY's 8 kB limit. */
export const socketIoAttachments = pgTable('socket_io_attachments', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).default(sql`now()`),
  payload: bytea('payload'),
});
