import { and, desc, eq, isNotNull, ne } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { conversations, teams } from '../db/schema.js';
import { baseStrategy, type AssignmentStrategy, type BaseStrategy, type DispatcherSettings } from '../domain/desk/state.js';
import { outboundRequest, type OutboundConfig } from './outbound-http.js';

export interface AssignmentHints { teamId: string | null; preferredAgentIds: string[]; strategy: BaseStrategy | null }

/**
 * Tencent's ChatBot.OnAssignAgent: POST {SessionId, ClientUserId, EventTime} → {AgentGroupId, AgentIdList},
 * under the outbound policy (no internal addresses unless allowed, no redirects, a bounded answer).
 */
async function askWebhook(url: string, timeoutMs: number, body: object,
    outbound: OutboundConfig): Promise<{ teamId: string | null; agentIds: string[] } | null> {
  try {
    const res = await outboundRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), timeoutMs }, outbound);
    if (res.status < 200 || res.status >= 300) return null;
    const answer = JSON.parse(res.body) as { AgentGroupId?: unknown; AgentIdList?: unknown };
    const agentIds = Array.isArray(answer.AgentIdList) ? answer.AgentIdList.filter((x): x is string => typeof x === 'string') : [];
    const teamId = typeof answer.AgentGroupId === 'string' && answer.AgentGroupId ? answer.AgentGroupId : null;
    return { teamId, agentIds };
  } catch {
    return null; // refused address, timeout, network error or bad JSON: fall back to the default strategy
  }
}

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
      SessionId: req.conversationId, ClientUserId: req.visitorId, EventTime: Math.floor(req.enqueuedAt / 1000),
    }, outbound);
    if (answer) {
      hints.preferredAgentIds = answer.agentIds;
      if (answer.teamId) {
        const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, answer.teamId));
        if (team) hints.teamId = team.id;
      }
    }
  }
  return hints;
}
