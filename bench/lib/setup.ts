/** Database preparation for the benchmark: routing settings, the bench flow and agent accounts. */
import { hashPassword } from '../../api/auth/passwords.js';
import type { Database } from '../../db/client.js';
import { flowVersions, teamMembers, users } from '../../db/schema.js';
import { saveDispatcherSettings } from '../../db/settings.js';
import type { FlowDefinitionInput } from '../../domain/flow/schema.js';
import { DEFAULT_FLOW } from '../../domain/flow/default-flow.js';
import { DEFAULT_DISPATCHER_SETTINGS } from '../../domain/desk/state.js';

/**
 * The default flow with a form before the hand-off: menu "Talk to an agent" → form "order number"
 * (required) → hand-off. "Opening hours" still answers and shows the menu again.
 * Published as version 2 of flow `default`, so every new conversation uses it.
 */
export function benchFlow(): FlowDefinitionInput {
  const flow = structuredClone(DEFAULT_FLOW);
  const menu = flow.nodes.find((n) => n.id === 'main-menu')!;
  menu.edges = menu.edges!.map((e) => (e.on === 'agent' ? { on: 'agent', to: 'ask-order' } : e));
  flow.nodes.push({
    id: 'ask-order',
    type: 'form',
    position: { x: -300, y: 300 },
    config: { prompt: 'What is your order number?', formType: 'text', variable: 'order', rules: [{ type: 'required', message: 'Please enter your order number.' }], maxRetries: 2 },
    edges: [{ on: 'next', to: 'handoff' }, { on: 'fallback', to: 'handoff' }],
  });
  return flow;
}

export interface AgentGroup { group: string; prefix: string; count: number; maxConversations: number }

export const agentEmails = (g: AgentGroup) => Array.from({ length: g.count }, (_, i) => `${g.prefix}-${String(i).padStart(3, '0')}@bench.parley.local`);

/** Automatic assignment, the bench flow, and the agents of every group (same password as the seed). */
export async function prepareDatabase(database: Database, password: string, groups: AgentGroup[]): Promise<void> {
  const { db } = database;
  await saveDispatcherSettings(db, { ...DEFAULT_DISPATCHER_SETTINGS, serviceMode: 'automatic', queuePositionIntervalMs: Number(process.env.BENCH_QUEUE_POSITION_INTERVAL_MS ?? DEFAULT_DISPATCHER_SETTINGS.queuePositionIntervalMs) });
  await db.insert(flowVersions).values({ flowId: 'default', version: 2, definition: benchFlow() });
  const passwordHash = await hashPassword(password);
  for (const g of groups) {
    const created = await db.insert(users).values(agentEmails(g).map((email, i) => ({
      email, nickname: `${g.prefix} ${i}`, role: 'agent' as const, passwordHash, maxConversations: g.maxConversations,
    }))).returning({ id: users.id });
    await db.insert(teamMembers).values(created.map((u) => ({ teamId: 'support', userId: u.id })));
  }
}
