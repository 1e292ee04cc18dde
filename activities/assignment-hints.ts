import { and, desc, eq, isNotNull, ne } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { conversations, teams } from '../db/schema.js';
import { baseStrategy, type AssignmentStrategy, type BaseStrategy, type DispatcherSettings } from '../workflows/dispatcher/state.js';

export interface AssignmentHints { teamId: string | null; preferredAgentIds: string[]; strategy: BaseStrategy | null }

/** Tencent's ChatBot.OnAssignAgent: POST {SessionId, ClientUserId, EventTime} → {AgentGroupId, AgentIdList}. */
async function askWebhook(url: string, timeoutMs: number, body: object): Promise<{ teamId: string | null; agentIds: string[] } | null> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return null;
    const answer = (await res.json()) as { AgentGroupId?: unknown; AgentIdList?: unknown };
    const agentIds = Array.isArray(answer.AgentIdList) ? answer.AgentIdList.filter((x): x is string => typeof x === 'string') : [];
    const teamId = typeof answer.AgentGroupId === 'string' && answer.AgentGroupId ? answer.AgentGroupId : null;
    return { teamId, agentIds };
  } catch {
    return null; // timeout, network error or bad JSON: fall back to the default strategy
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
    });
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
