import { createHmac } from 'node:crypto';
import { and, desc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { conversations, teams, users } from '../db/schema.js';
import { baseStrategy, type AssignmentStrategy, type BaseStrategy, type DispatcherSettings } from '../domain/desk/state.js';
import { outboundRequest, type OutboundConfig } from './outbound-http.js';

export interface AssignmentHints { teamId: string | null; preferredAgentIds: string[]; strategy: BaseStrategy | null }

/** Tencent's command name for the assignment webhook, sent in the body and the query string. */
export const ASSIGN_AGENT_COMMAND = 'ChatBot.OnAssignAgent';
/** Header carrying the request's signature: `t=<unix ms>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-parley-signature';

/** The signature header's value for a body sent at `at` (ms). */
export function signWebhookBody(secret: string, body: string, at: number): string {
  return `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`;
}

/** The webhook URL with Tencent's query parameters added (the admin's own are kept). */
function webhookUrl(url: string): string {
  const u = new URL(url);
  u.searchParams.set('CallbackCommand', ASSIGN_AGENT_COMMAND);
  u.searchParams.set('contenttype', 'json');
  return u.toString();
}

/**
 * Tencent's answer, as its document specifies: the data counts only with `ErrorCode` 0 and `ActionStatus`
 * "OK" (an answer without them is taken as OK); `AgentGroupId` is an integer there (a string is taken too);
 * `AgentIdList` names agents by account (Parley: e-mail) or by user id.
 */
function readAnswer(answer: Record<string, unknown>): { teamId: string | null; agents: string[] } | null {
  if (answer.ErrorCode !== undefined && answer.ErrorCode !== 0) return null;
  if (answer.ActionStatus !== undefined && answer.ActionStatus !== 'OK') return null;
  const group = answer.AgentGroupId;
  const teamId = typeof group === 'number' && Number.isSafeInteger(group) ? String(group) : typeof group === 'string' && group ? group : null;
  const agents = Array.isArray(answer.AgentIdList) ? answer.AgentIdList.filter((x): x is string => typeof x === 'string' && x !== '').slice(0, 100) : [];
  return { teamId, agents };
}

/**
 * Tencent's ChatBot.OnAssignAgent: POST {CallbackCommand, SessionId, ClientUserId, EventTime (ms)} →
 * {ActionStatus, ErrorCode, AgentGroupId, AgentIdList}, under the outbound policy (no internal addresses
 * unless allowed, no redirects, a bounded answer), signed when the operator set a secret.
 */
async function askWebhook(url: string, timeoutMs: number, request: object,
    outbound: OutboundConfig): Promise<{ teamId: string | null; agents: string[] } | null> {
  try {
    const body = JSON.stringify(request);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (outbound.signingSecret) headers[SIGNATURE_HEADER] = signWebhookBody(outbound.signingSecret, body, Date.now());
    const res = await outboundRequest(webhookUrl(url), { method: 'POST', headers, body, timeoutMs }, outbound);
    if (res.status < 200 || res.status >= 300) return null;
    const answer: unknown = JSON.parse(res.body);
    return answer !== null && typeof answer === 'object' && !Array.isArray(answer) ? readAnswer(answer as Record<string, unknown>) : null;
  } catch {
    return null; // refused address, timeout, network error or bad JSON: fall back to the default strategy
  }
}

/** The user ids of the agents a webhook named, by id or by account e-mail, in its order. */
async function agentIdsOf(db: Db, named: string[]): Promise<string[]> {
  if (named.length === 0) return [];
  const emails = named.filter((n) => !UUID.test(n)).map((n) => n.toLowerCase());
  const byEmail = new Map<string, string>();
  if (emails.length > 0) {
    for (const u of await db.select({ id: users.id, email: users.email }).from(users).where(inArray(sql`lower(${users.email})`, emails))) {
      byEmail.set(u.email.toLowerCase(), u.id);
    }
  }
  return named.flatMap((n) => (UUID.test(n) ? [n] : byEmail.has(n.toLowerCase()) ? [byEmail.get(n.toLowerCase())!] : []));
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Resolves the strategies that need I/O before the conversation reaches the dispatcher:
 * familiarity (the agent who last served this visitor) and webhook (ask an external service).
 * The dispatcher then tries the preferred agents first and falls back to the base strategy.
 */
export async function assignmentHints(
  db: Db, settings: DispatcherSettings,
  req: { conversationId: string; visitorId: string; teamId: string | null; enqueuedAt: number },
  outbound: OutboundConfig,
): Promise<AssignmentHints> {
  let strategy: AssignmentStrategy = settings.strategy;
  if (req.teamId) {
    const [team] = await db.select({ strategy: teams.strategy }).from(teams).where(eq(teams.id, req.teamId));
    if (team) strategy = team.strategy as AssignmentStrategy;
  }
  const hints: AssignmentHints = { teamId: req.teamId, preferredAgentIds: [], strategy: baseStrategy(strategy) };
  if (strategy === 'familiarity') {
    const [last] = await db.select({ agentId: conversations.agentId }).from(conversations)
      .where(and(eq(conversations.visitorId, req.visitorId), ne(conversations.id, req.conversationId), isNotNull(conversations.agentId)))
      .orderBy(desc(conversations.createdAt)).limit(1);
    if (last?.agentId) hints.preferredAgentIds = [last.agentId];
  } else if (strategy === 'webhook' && settings.assignWebhookUrl) {
    const answer = await askWebhook(settings.assignWebhookUrl, settings.assignWebhookTimeoutMs, {
      CallbackCommand: ASSIGN_AGENT_COMMAND, SessionId: req.conversationId, ClientUserId: req.visitorId, EventTime: req.enqueuedAt,
    }, outbound);
    if (answer) {
      hints.preferredAgentIds = await agentIdsOf(db, answer.agents);
      if (answer.teamId) {
        const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, answer.teamId));
        if (team) hints.teamId = team.id;
      }
    }
  }
  return hints;
}
