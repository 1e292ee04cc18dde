import { and, asc, eq, sql } from 'drizzle-orm';
import type { ScenarioScript } from '../domain/flow/scenario-schema.js';
import type { Db } from './client.js';
import { flowScenarios } from './schema.js';

/**
 * A flow's test scenarios (issue 20): recorded in the designer's preview, saved beside the draft (not in it,
 * so saving one never races the draft's autosave revision), run on publish and copied into the version.
 */

export interface FlowScenario {
  id: string;
  flowId: string;
  name: string;
  script: ScenarioScript;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Another scenario of the flow already has this name. */
export class ScenarioNameTakenError extends Error {
  constructor(readonly name: string) {
    super(`This flow already has a scenario named "${name}"`);
  }
}

type Row = typeof flowScenarios.$inferSelect;

const toScenario = (row: Row): FlowScenario => ({
  id: row.id, flowId: row.flowId, name: row.name, script: row.script, createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
});

function nameTaken(err: unknown, name: string): never {
  const pgError = [err, (err as { cause?: unknown })?.cause].find((e) => (e as { code?: string })?.code === '23505');
  if (pgError) throw new ScenarioNameTakenError(name);
  throw err;
}

/** The flow's scenarios, oldest first. */
export async function listFlowScenarios(db: Db, flowId: string): Promise<FlowScenario[]> {
  const rows = await db.select().from(flowScenarios).where(eq(flowScenarios.flowId, flowId)).orderBy(asc(flowScenarios.createdAt), asc(flowScenarios.id));
  return rows.map(toScenario);
}

export async function countFlowScenarios(db: Db, flowId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(flowScenarios).where(eq(flowScenarios.flowId, flowId));
  return row?.n ?? 0;
}

export async function createFlowScenario(
  db: Db, input: { flowId: string; name: string; script: ScenarioScript; createdBy: string | null },
): Promise<FlowScenario> {
  try {
    const [row] = await db.insert(flowScenarios).values(input).returning();
    return toScenario(row);
  } catch (err) {
    nameTaken(err, input.name);
  }
}

/** Renames a scenario; null when the flow has no scenario with this id. */
export async function renameFlowScenario(db: Db, flowId: string, id: string, name: string): Promise<FlowScenario | null> {
  try {
    const [row] = await db.update(flowScenarios).set({ name, updatedAt: new Date() })
      .where(and(eq(flowScenarios.flowId, flowId), eq(flowScenarios.id, id))).returning();
    return row ? toScenario(row) : null;
  } catch (err) {
    nameTaken(err, name);
  }
}

/** Deletes a scenario; false when the flow has no scenario with this id. */
export async function deleteFlowScenario(db: Db, flowId: string, id: string): Promise<boolean> {
  const rows = await db.delete(flowScenarios).where(and(eq(flowScenarios.flowId, flowId), eq(flowScenarios.id, id))).returning({ id: flowScenarios.id });
  return rows.length > 0;
}
