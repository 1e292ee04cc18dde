import { and, asc, desc, eq, max, sql } from 'drizzle-orm';
import type { FlowDefinition } from '../domain/flow/schema.js';
import type { PublishedScenario } from '../domain/flow/scenario-schema.js';
import type { Db } from './client.js';
import { flows, flowVersions } from './schema.js';

/**
 * Service flows as versioned data. A flow has one editable draft; publishing copies a validated
 * draft into `flow_versions` as the next immutable version. Nothing here updates or deletes a
 * version (the database refuses it too: migration 0001), so a conversation that started on a
 * version can always be explained by it.
 */

export interface FlowSummary {
  id: string;
  name: string;
  channel: string;
  /** Highest published version, null while only a draft exists. */
  latestVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface FlowVersionSummary {
  version: number;
  publishedAt: string;
  publishedBy: string | null;
  /** Set on a roll-back: the older version whose definition this one re-publishes. */
  restoredFrom: number | null;
}

export interface FlowDetail extends FlowSummary {
  /** The draft as last saved; it may be invalid until published. */
  draft: Record<string, unknown>;
  /** The draft's save counter (see FlowRevisionConflictError). */
  revision: number;
  versions: FlowVersionSummary[];
}

export interface FlowVersionDetail extends FlowVersionSummary {
  flowId: string;
  definition: FlowDefinition;
  /** Issue 20: the test scenarios it passed when published. */
  scenarios: PublishedScenario[];
}

/** A unique constraint refused the write; `constraint` names which. */
export class FlowConflictError extends Error {
  constructor(readonly constraint: 'id' | 'channel') {
    super(constraint === 'id' ? 'A flow with this id already exists' : 'Another flow already serves this channel');
  }
}

/** A save named a revision the draft has moved past: someone else saved in between. */
export class FlowRevisionConflictError extends Error {
  constructor(readonly given: number, readonly current: number) {
    super(`The draft was saved by someone else since you loaded it (you edited revision ${given}, the saved draft is revision ${current}); reload it before saving`);
  }
}

type FlowRow = typeof flows.$inferSelect;
type VersionRow = typeof flowVersions.$inferSelect;

function toSummary(row: FlowRow, latestVersion: number | null): FlowSummary {
  return {
    id: row.id,
    name: row.name,
    channel: row.channel,
    latestVersion,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toVersionSummary(row: Pick<VersionRow, 'version' | 'publishedAt' | 'publishedBy' | 'restoredFrom'>): FlowVersionSummary {
  return { version: row.version, publishedAt: row.publishedAt.toISOString(), publishedBy: row.publishedBy, restoredFrom: row.restoredFrom };
}

/** Maps PostgreSQL unique violations on flows to FlowConflictError (drizzle wraps the driver error in `cause`). */
function asConflict(err: unknown): never {
  const pgError = [err, (err as { cause?: unknown })?.cause].find((e) => (e as { code?: string })?.code === '23505') as { constraint?: string } | undefined;
  if (pgError) throw new FlowConflictError(pgError.constraint === 'flows_channel_unique' ? 'channel' : 'id');
  throw err;
}

export async function listFlows(db: Db): Promise<FlowSummary[]> {
  const rows = await db.select({ flow: flows, latest: max(flowVersions.version) }).from(flows)
    .leftJoin(flowVersions, eq(flowVersions.flowId, flows.id))
    .groupBy(flows.id).orderBy(asc(flows.createdAt), asc(flows.id));
  return rows.map((r) => toSummary(r.flow, r.latest ?? null));
}

export async function listFlowVersions(db: Db, flowId: string): Promise<FlowVersionSummary[]> {
  const rows = await db.select({
    version: flowVersions.version, publishedAt: flowVersions.publishedAt, publishedBy: flowVersions.publishedBy, restoredFrom: flowVersions.restoredFrom,
  })
    .from(flowVersions).where(eq(flowVersions.flowId, flowId)).orderBy(asc(flowVersions.version));
  return rows.map(toVersionSummary);
}

export async function getFlow(db: Db, flowId: string): Promise<FlowDetail | null> {
  const [row] = await db.select().from(flows).where(eq(flows.id, flowId));
  if (!row) return null;
  const versions = await listFlowVersions(db, flowId);
  return { ...toSummary(row, versions.at(-1)?.version ?? null), draft: row.draft, revision: row.revision, versions };
}

export async function createFlow(db: Db, input: { id: string; name: string; channel: string; draft: Record<string, unknown> }): Promise<FlowDetail> {
  try {
    await db.insert(flows).values({ id: input.id, name: input.name, channel: input.channel, draft: input.draft as FlowRow['draft'] });
  } catch (err) {
    asConflict(err);
  }
  return (await getFlow(db, input.id))!;
}

/**
 * Saves the draft (and optionally renames the flow or moves it to another channel), bumping its revision.
 * With `revision`, only when the draft is still at that revision (else FlowRevisionConflictError).
 * Null when the flow does not exist.
 */
export async function updateFlowDraft(
  db: Db, flowId: string, input: { draft: Record<string, unknown>; name?: string; channel?: string; revision?: number },
): Promise<FlowDetail | null> {
  let updated: { id: string }[];
  try {
    updated = await db.update(flows).set({
      draft: input.draft as FlowRow['draft'],
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.channel !== undefined ? { channel: input.channel } : {}),
      revision: sql`${flows.revision} + 1`,
      updatedAt: new Date(),
    }).where(input.revision === undefined ? eq(flows.id, flowId) : and(eq(flows.id, flowId), eq(flows.revision, input.revision)))
      .returning({ id: flows.id });
  } catch (err) {
    asConflict(err);
  }
  if (updated.length === 0 && input.revision !== undefined) {
    const [row] = await db.select({ revision: flows.revision }).from(flows).where(eq(flows.id, flowId));
    if (row) throw new FlowRevisionConflictError(input.revision, row.revision);
  }
  return updated.length === 0 ? null : getFlow(db, flowId);
}

export async function getFlowVersion(db: Db, flowId: string, version: number): Promise<FlowVersionDetail | null> {
  const [row] = await db.select().from(flowVersions).where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.version, version)));
  return row ? { flowId: row.flowId, ...toVersionSummary(row), definition: row.definition as FlowDefinition, scenarios: row.scenarios } : null;
}

/**
 * Inserts `definition` (already validated, defaults applied) as the flow's next version. The flow
 * row is locked for the transaction, so concurrent publishes get consecutive versions. Null when
 * the flow does not exist.
 */
export async function publishFlowVersion(
  db: Db, flowId: string, definition: FlowDefinition, publishedBy: string | null, scenarios: PublishedScenario[] = [],
): Promise<FlowVersionDetail | null> {
  return db.transaction(async (tx) => {
    const locked = await tx.execute(sql`select id from ${flows} where ${flows.id} = ${flowId} for update`);
    if (locked.rows.length === 0) return null;
    const [latest] = await tx.select({ version: flowVersions.version }).from(flowVersions)
      .where(eq(flowVersions.flowId, flowId)).orderBy(desc(flowVersions.version)).limit(1);
    const [row] = await tx.insert(flowVersions)
      .values({ flowId, version: (latest?.version ?? 0) + 1, definition, publishedBy, scenarios })
      .returning();
    return { flowId: row.flowId, ...toVersionSummary(row), definition: row.definition as FlowDefinition, scenarios: row.scenarios };
  });
}

/** The version to roll back to is the live one already: a roll-back would publish nothing new. */
export class AlreadyLiveError extends Error {
  constructor(readonly version: number) {
    super(`Version ${version} is already the live version; there is nothing to roll back`);
  }
}

/**
 * Rolls the live version back to `version`: its definition, exactly as stored, is published as the next
 * version, marked `restoredFrom`. Versions stay immutable and the live one stays the highest, so new
 * conversations get the rolled-back flow while running ones keep the version they are pinned to, and the
 * list of versions says who rolled back to what and when. Null when the flow or the version does not exist.
 */
export async function rollBackFlow(db: Db, flowId: string, version: number, publishedBy: string | null): Promise<FlowVersionDetail | null> {
  return db.transaction(async (tx) => {
    const locked = await tx.execute(sql`select id from ${flows} where ${flows.id} = ${flowId} for update`);
    if (locked.rows.length === 0) return null;
    const [source] = await tx.select().from(flowVersions).where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.version, version)));
    if (!source) return null;
    const [latest] = await tx.select({ version: flowVersions.version }).from(flowVersions)
      .where(eq(flowVersions.flowId, flowId)).orderBy(desc(flowVersions.version)).limit(1);
    if (latest.version === version) throw new AlreadyLiveError(version);
    const [row] = await tx.insert(flowVersions)
      // The old version's test scenarios come back with it: they are what it passed.
      .values({ flowId, version: latest.version + 1, definition: source.definition, publishedBy, restoredFrom: version, scenarios: source.scenarios })
      .returning();
    return { flowId: row.flowId, ...toVersionSummary(row), definition: row.definition as FlowDefinition, scenarios: row.scenarios };
  });
}
