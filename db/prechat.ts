import { desc, eq } from 'drizzle-orm';
import { PrechatFormSchema, type PrechatContext, type PrechatForm } from '../domain/prechat.js';
import type { Db } from './client.js';
import { prechatForms, prechatSubmissions } from './schema.js';

/** Pre-chat forms per channel and the visitors' submissions (issue 19). */

/** The channel's form as stored (defaults filled), or null when none was ever saved. */
export async function prechatFormOf(db: Db, channel: string): Promise<PrechatForm | null> {
  const [row] = await db.select({ form: prechatForms.form }).from(prechatForms).where(eq(prechatForms.channel, channel));
  return row ? PrechatFormSchema.parse(row.form) : null;
}

export async function listPrechatForms(db: Db): Promise<Array<{ channel: string; form: PrechatForm; updatedAt: string }>> {
  const rows = await db.select().from(prechatForms).orderBy(prechatForms.channel);
  return rows.map((r) => ({ channel: r.channel, form: PrechatFormSchema.parse(r.form), updatedAt: r.updatedAt.toISOString() }));
}

export async function savePrechatForm(db: Db, channel: string, form: PrechatForm, actorId: string): Promise<void> {
  await db.insert(prechatForms).values({ channel, form, updatedBy: actorId })
    .onConflictDoUpdate({ target: prechatForms.channel, set: { form, updatedBy: actorId, updatedAt: new Date() } });
}

export async function recordPrechatSubmission(db: Db, s: { visitorId: string; channel: string; answers: PrechatContext['answers']; consentText: string | null }): Promise<Date> {
  const [row] = await db.insert(prechatSubmissions).values(s).returning({ at: prechatSubmissions.createdAt });
  return row.at;
}

/** The visitor's latest submission (on any channel, or on `channel`), as the agent's context panel shows it. */
export async function latestPrechatSubmission(db: Db, visitorId: string, channel?: string): Promise<PrechatContext | null> {
  const rows = await db.select().from(prechatSubmissions).where(eq(prechatSubmissions.visitorId, visitorId))
    .orderBy(desc(prechatSubmissions.createdAt), desc(prechatSubmissions.id)).limit(20);
  const row = channel ? rows.find((r) => r.channel === channel) : rows[0];
  if (!row) return null;
  const at = row.createdAt.toISOString();
  return { channel: row.channel, submittedAt: at, consent: row.consentText ? { text: row.consentText, at } : null, answers: row.answers };
}
