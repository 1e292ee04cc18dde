/**
 * After the kills: what PostgreSQL and Temporal hold must match what the clients were promised.
 */
import type { Client } from '@temporalio/client';
import pg from 'pg';
import type { ChatMessage, MessageBody } from '../../../domain/messages.js';
import { conversationWorkflowId } from '../../../domain/ids.js';
import type { ConversationSnapshot } from '../../../domain/conversation/state.js';
import type { DispatcherSnapshot } from '../../../domain/desk/state.js';
import { errText, sleep, type AckedMessage } from './clients.js';
import { downtimeBetween } from './chaos.js';
import { TEXT } from './flow.js';
import type { ScenarioResult } from './scenarios.js';

export type ViolationKind =
  | 'lost' | 'duplicated' | 'signal' | 'stuck' | 'end-state' | 'timer' | 'workflow-message' | 'workflow-failed'
  | 'capacity' | 'dispatcher' | 'transfer' | 'crash' | 'live-delivery' | 'rating-window';

export interface Violation { kind: ViolationKind; detail: string }

export interface Counts {
  conversations: number;
  ackedChecked: number;
  ackedVisitor: number;
  ackedAgent: number;
  workflowMessagesChecked: number;
  lost: number;
  duplicated: number;
  workflows: Record<string, number>;
  workflowTaskFailures: Record<string, number>;
}

/** Workflow-task failure causes that are part of normal operation (a signal raced a completing task, a lost sticky worker). */
const BENIGN_TASK_FAILURES = new Set([1, 13, 31]);

interface Row { seq: number; conversation_id: string; client_id: string | null; sender: string; body: MessageBody }

/** Waits (bounded) until every conversation's workflow has closed, so the checks look at final state. */
export async function settle(temporal: Client, conversationIds: string[], ms: number, log: (l: string) => void): Promise<void> {
  const deadline = Date.now() + ms;
  let open = conversationIds;
  while (open.length && Date.now() < deadline) {
    const still: string[] = [];
    for (const id of open) {
      try {
        const d = await temporal.workflow.getHandle(conversationWorkflowId(id)).describe();
        if (d.status.name === 'RUNNING') still.push(id);
      } catch {
        still.push(id);
      }
    }
    open = still;
    if (open.length) await sleep(2_000);
  }
  if (open.length) log(`settle: ${open.length} workflow(s) still open after ${ms / 1000} s`);
}

export async function verify(opts: {
  databaseUrl: string;
  temporal: Client;
  deskId: string;
  results: ScenarioResult[];
  acked: AckedMessage[];
  /** Conversations the runner started outside the scenarios (probes): checked for messages only. */
  extraConversationIds: string[];
  violations: Violation[];
  /** [from, to] of every outage (epoch ms). */
  outages: Array<[number, number]>;
  log(line: string): void;
}): Promise<Counts> {
  const { violations: v, temporal } = opts;
  const add = (kind: ViolationKind, detail: string) => { v.push({ kind, detail }); opts.log(`VIOLATION [${kind}] ${detail}`); };
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 2 });
  const counts: Counts = {
    conversations: 0, ackedChecked: 0, ackedVisitor: 0, ackedAgent: 0, workflowMessagesChecked: 0, lost: 0, duplicated: 0,
    workflows: {}, workflowTaskFailures: {},
  };
  try {
    // 1. Every acknowledged message is stored exactly once, in its conversation.
    const clientIds = [...new Set(opts.acked.map((a) => a.clientId))];
    const { rows: stored } = await pool.query<{ conversation_id: string; client_id: string; n: number }>(
      'select conversation_id, client_id, count(*)::int as n from messages where client_id = any($1) group by 1, 2', [clientIds]);
    const byClient = new Map<string, Array<{ conversation_id: string; n: number }>>();
    for (const r of stored) byClient.set(r.client_id, [...(byClient.get(r.client_id) ?? []), r]);
    for (const a of opts.acked) {
      counts.ackedChecked++;
      if (a.sender === 'visitor') counts.ackedVisitor++;
      else counts.ackedAgent++;
      const hits = byClient.get(a.clientId) ?? [];
      const total = hits.reduce((s, h) => s + h.n, 0);
      if (total === 0) {
        counts.lost++;
        add('lost', `${a.sender} message "${a.text}" (clientId ${a.clientId}, conversation ${a.conversationId}, acked via ${a.via} after ${a.attempts} attempt(s)) is not in PostgreSQL`);
      } else if (total > 1 || hits[0].conversation_id !== a.conversationId) {
        counts.duplicated++;
        add('duplicated', `clientId ${a.clientId} stored ${total} time(s) in ${hits.map((h) => h.conversation_id).join(', ')} (acked in ${a.conversationId})`);
      }
    }
    if (new Set(opts.acked.map((a) => a.clientId)).size !== opts.acked.length) {
      // The same clientId acknowledged twice means the client recorded a retry as a new message: a harness bug.
      add('duplicated', 'a clientId was acknowledged more than once (harness bookkeeping)');
    }

    // 2. Per conversation: end state, timers, workflow-written messages.
    const ids = opts.results.filter((r) => r.conversationId).map((r) => r.conversationId!);
    counts.conversations = ids.length;
    const { rows: convs } = await pool.query<{ id: string; status: string; closed_by: string | null; rating: number | null }>(
      'select id, status, closed_by, rating from conversations where id = any($1)', [ids]);
    const convById = new Map(convs.map((c) => [c.id, c]));
    // seq is a bigint: pg returns it as a string, so it is made a number here (string order is wrong).
    const { rows: msgs } = await pool.query<Row>(
      'select seq::float8 as seq, conversation_id, client_id, sender, body from messages where conversation_id = any($1) order by seq', [[...ids, ...opts.extraConversationIds]]);
    const msgsByConv = new Map<string, Row[]>();
    for (const m of msgs) msgsByConv.set(m.conversation_id, [...(msgsByConv.get(m.conversation_id) ?? []), m]);
    const { rows: ratingRows } = await pool.query<{ conversation_id: string; score: number; counted: boolean }>(
      'select conversation_id, score, counted from ratings where conversation_id = any($1)', [ids]);

    for (const id of [...ids, ...opts.extraConversationIds]) {
      // Workflow-written messages carry wf:1..wf:N: a gap is a lost one (duplicates cannot exist by the unique index).
      const rows = msgsByConv.get(id) ?? [];
      const wf = rows.filter((m) => m.client_id?.startsWith('wf:')).map((m) => Number(m.client_id!.slice(3))).sort((a, b) => a - b);
      counts.workflowMessagesChecked += wf.length;
      const gaps = wf.filter((n, i) => n !== i + 1);
      if (gaps.length) add('workflow-message', `conversation ${id}: workflow message ids are not wf:1..wf:${wf.length} (got ${wf.slice(0, 40).join(',')})`);
      // The desk's queue position notices carry desk:<n> (unique per desk, so never twice either).
      const byDesk = (m: Row) => m.sender === 'system' && m.body.kind === 'queue' && !!m.client_id?.startsWith('desk:');
      const stray = rows.filter((m) => (m.sender === 'bot' || m.sender === 'system') && !m.client_id?.startsWith('wf:') && !byDesk(m));
      if (stray.length) add('workflow-message', `conversation ${id}: ${stray.length} bot/system message(s) without a wf: or desk: id`);
    }

    for (const r of opts.results) {
      const tag = `${r.name} (${r.conversationId ?? 'no conversation'})`;
      if (r.error) add('stuck', `${tag}: ${r.error}`);
      if (!r.conversationId) continue;
      const c = convById.get(r.conversationId);
      if (!c) { add('lost', `${tag}: conversation row missing`); continue; }
      const rows = msgsByConv.get(r.conversationId) ?? [];
      const kinds = (k: MessageBody['kind']) => rows.filter((m) => m.body.kind === k);
      if (c.status !== 'ended') add('stuck', `${tag}: status ${c.status}, expected ended`);
      if (c.closed_by !== r.expect.closedBy) add('end-state', `${tag}: closed by ${c.closed_by}, expected ${r.expect.closedBy}`);
      const counted = ratingRows.filter((x) => x.conversation_id === r.conversationId && x.counted);
      if ((c.rating ?? null) !== r.expect.rating) add('end-state', `${tag}: rating ${c.rating}, expected ${r.expect.rating} (visitor's rating: ${JSON.stringify(r.rating ?? null)})`);
      if (r.expect.rating !== null && (counted.length !== 1 || counted[0].score !== r.expect.rating)) {
        add('end-state', `${tag}: ratings table has ${JSON.stringify(counted)} counted, expected score ${r.expect.rating}`);
      }
      if (r.expect.rating === null && counted.length) add('end-state', `${tag}: a rating is stored but none was acknowledged: ${JSON.stringify(counted)}`);
      if (r.rating?.outcome === 'refused' && r.rating.msBeforeWindowEnd > 0) {
        // Refused although given inside the window: a violation unless outages ate the rest of the window.
        const up = availableMs(r.rating.attemptAt, r.rating.windowEnd, opts.outages);
        if (up > 8_000) add('rating-window', `${tag}: rating given ${Math.round(r.rating.msBeforeWindowEnd / 1000)} s before the window closed (${Math.round(up / 1000)} s of it with every part up) was refused: ${r.rating.message}`);
      }
      if (r.rating?.outcome === 'ok' && r.rating.msBeforeWindowEnd < 0) add('rating-window', `${tag}: a rating after the window closed was accepted`);

      const ends = kinds('end');
      if (ends.length !== 1) add('timer', `${tag}: ${ends.length} end messages (expected exactly 1)`);
      const timeouts = kinds('timeout');
      if (timeouts.length !== r.expect.timeouts) add('timer', `${tag}: ${timeouts.length} timeout messages, expected ${r.expect.timeouts}`);
      const invites = kinds('rating-invite');
      if (invites.length > 1) add('timer', `${tag}: ${invites.length} rating invitations`);
      const results = kinds('rating-result');
      if (results.length !== (r.expect.rating === null ? 0 : 1)) add('workflow-message', `${tag}: ${results.length} rating thanks, expected ${r.expect.rating === null ? 0 : 1}`);
      if (r.expect.reminders !== undefined) {
        // The visitor went silent after the agent's last message: one reminder, then the timeout.
        const lastAgent = [...rows].reverse().find((m) => m.sender === 'agent');
        const reminders = rows.filter((m) => m.body.kind === 'notice' && m.body.text === TEXT.visitorReminder && m.seq > (lastAgent?.seq ?? 0));
        if (reminders.length !== r.expect.reminders) add('timer', `${tag}: ${reminders.length} reminders after the agent's last message, expected ${r.expect.reminders}`);
      }
      // Only the poison conversation meets the flow-error text, exactly once (issue 16, item 1).
      const flowErrors = rows.filter((m) => m.body.kind === 'notice' && m.body.text === TEXT.flowError).length;
      if (flowErrors !== (r.kind === 'poison' ? 1 : 0)) add('end-state', `${tag}: ${flowErrors} flow-error notices, expected ${r.kind === 'poison' ? 1 : 0}`);
      if (r.expect.closedBy === 'timer' && timeouts.length === 1) {
        const text = r.kind === 'idle' ? TEXT.idleClose : TEXT.visitorTimeout;
        if ((timeouts[0].body as { text: string }).text !== text) add('timer', `${tag}: wrong timer fired: "${(timeouts[0].body as { text: string }).text}"`);
      }
    }

    // 3. Temporal: no workflow failed, none still running, no broken workflow task.
    for await (const w of temporal.workflow.list({ query: `WorkflowType = 'conversationWorkflow' OR WorkflowType = 'dispatcherWorkflow'` })) {
      counts.workflows[w.status.name] = (counts.workflows[w.status.name] ?? 0) + 1;
      if (['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED'].includes(w.status.name)) add('workflow-failed', `${w.workflowId} (${w.type}) is ${w.status.name}`);
    }
    const workflowIds = [...ids.map(conversationWorkflowId), `dispatcher-${opts.deskId}`];
    for (const wid of workflowIds) {
      try {
        const handle = temporal.workflow.getHandle(wid);
        const d = await handle.describe();
        if (d.status.name === 'RUNNING' && !wid.startsWith('dispatcher-')) add('stuck', `${wid} is still running`);
        if (d.status.name !== 'RUNNING' && d.status.name !== 'COMPLETED' && d.status.name !== 'CONTINUED_AS_NEW') add('workflow-failed', `${wid} is ${d.status.name}`);
        if (d.status.name === 'COMPLETED' && wid.startsWith('conversation-')) {
          // The workflow remembers the ids of the flow input it was signalled: every acknowledged answer
          // to the bot must be among them, or the flow never learnt of it (its signal was lost). Live
          // chat is not signalled; the timer checks above cover what the workflow does with it.
          const seen = new Set((await handle.result() as ConversationSnapshot).recentMessageIds ?? []);
          for (const a of opts.acked.filter((x) => x.flowInput && conversationWorkflowId(x.conversationId) === wid)) {
            if (!seen.has(a.messageId)) add('signal', `${wid}: ${a.sender} message "${a.text}" (${a.messageId}) was acknowledged and stored, but the workflow never received it`);
          }
        }
        const history = await handle.fetchHistory();
        for (const e of history.events ?? []) {
          const f = e.workflowTaskFailedEventAttributes;
          if (!f) continue;
          const cause = Number(f.cause ?? 0);
          counts.workflowTaskFailures[String(cause)] = (counts.workflowTaskFailures[String(cause)] ?? 0) + 1;
          if (!BENIGN_TASK_FAILURES.has(cause)) add('workflow-failed', `${wid}: workflow task failed (cause ${cause}): ${f.failure?.message ?? ''}`);
        }
      } catch (err) {
        add('workflow-failed', `${wid}: cannot describe: ${errText(err)}`);
      }
    }

    // 4. No transfer left waiting.
    const { rows: pending } = await pool.query<{ id: string; conversation_id: string }>("select id, conversation_id from transfers where outcome = 'pending'");
    for (const t of pending) add('transfer', `transfer ${t.id} of ${t.conversation_id} is still pending`);
  } finally {
    await pool.end();
  }
  return counts;
}

/** Milliseconds of [from, to] during which no part was down. */
function availableMs(from: number, to: number, outages: Array<[number, number]>): number {
  return Math.max(0, to - from - downtimeBetween(from, to, outages));
}

/** Capacity and exclusivity, on one sample of the dispatcher's state. */
export function checkDispatcher(s: DispatcherSnapshot, add: (kind: ViolationKind, detail: string) => void, final = false): void {
  const holders = new Map<string, string>();
  for (const a of Object.values(s.agents)) {
    const load = a.conversationIds.length + a.offeredIds.length;
    if (load > a.maxConversations) add('capacity', `${a.name} holds ${a.conversationIds.length} + ${a.offeredIds.length} offered > max ${a.maxConversations}`);
    for (const id of a.conversationIds) {
      if (holders.has(id)) add('capacity', `conversation ${id} held by ${holders.get(id)} and ${a.name}`);
      holders.set(id, a.name);
    }
  }
  for (const q of s.queue) if (holders.has(q.conversationId)) add('capacity', `conversation ${q.conversationId} is queued and held by ${holders.get(q.conversationId)}`);
  if (final) {
    for (const a of Object.values(s.agents)) if (a.conversationIds.length || a.offeredIds.length) add('dispatcher', `after every conversation ended, ${a.name} still holds ${JSON.stringify(a.conversationIds)} offered ${JSON.stringify(a.offeredIds)}`);
    if (s.queue.length) add('dispatcher', `after every conversation ended, the queue still has ${s.queue.map((q) => q.conversationId).join(', ')}`);
    if (s.offers.length) add('dispatcher', `after every conversation ended, offers remain: ${s.offers.map((o) => o.conversationId).join(', ')}`);
    if (s.transfers.length) add('dispatcher', `after every conversation ended, transfers remain: ${s.transfers.map((t) => t.conversationId).join(', ')}`);
  }
}

export interface PresenceRow { agentId: string; maxConversations: number; conversationIds: string[]; offeredIds: string[]; revision: number }

export async function readPresence(pool: pg.Pool): Promise<PresenceRow[]> {
  const { rows } = await pool.query<PresenceRow>(`SELECT agent_id AS "agentId", max_conversations AS "maxConversations",
    conversation_ids AS "conversationIds", offered_ids AS "offeredIds", revision::int AS revision FROM agent_presence`);
  return rows;
}

/**
 * Samples of the desk projection while parts restart. Every row is the agent's true state at some
 * revision, so its load never exceeds its limit; two rows say the same moment only when they carry
 * the same revision, so a conversation held twice is only judged within one revision.
 */
export function checkPresence(rows: PresenceRow[], add: (kind: ViolationKind, detail: string) => void): void {
  const holders = new Map<string, PresenceRow>();
  for (const a of rows) {
    if (a.conversationIds.length + a.offeredIds.length > a.maxConversations) add('capacity', `agent ${a.agentId} holds ${a.conversationIds.length} + ${a.offeredIds.length} offered > max ${a.maxConversations} (projection revision ${a.revision})`);
    for (const id of a.conversationIds) {
      const other = holders.get(`${a.revision}:${id}`);
      if (other) add('capacity', `conversation ${id} held by agents ${other.agentId} and ${a.agentId} in projection revision ${a.revision}`);
      holders.set(`${a.revision}:${id}`, a);
    }
  }
}

export type { ChatMessage };
