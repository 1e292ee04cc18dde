import { generatedVisitorName } from '../../domain/canned/expand.js';
import { PROFILE_LIMITS, type VisitorProfile } from '../../domain/visitor-context.js';
import { PrechatFormSchema, prechatProblems, type PrechatAnswers, type PrechatForm, type VisitorPrechatView } from '../../domain/prechat.js';
import { latestPrechatSubmission, listPrechatForms, prechatFormOf, recordPrechatSubmission, savePrechatForm } from '../../db/prechat.js';
import { updateVisitorProfile, visitorProfile, type ProfileChange } from '../../db/visitor-context.js';
import type { ApiContext } from '../context.js';
import { eq } from 'drizzle-orm';
import { flows } from '../../db/schema.js';
import { badRequest, conflict, notFound } from '../http/errors.js';

/**
 * A visitor already known needs no pre-chat form: one whose profile has a name of their own (not the
 * generated one) and an e-mail. This is the hook for identity from the widget's SDK (issue 19, embed
 * slice): a verified `Parley.identify` that sets name and e-mail makes the form skip.
 */
export function visitorIsKnown(v: VisitorProfile): boolean {
  return Boolean(v.email) && v.displayName !== generatedVisitorName(v.visitorId);
}

/** Pre-chat forms per channel (admins) and the visitor's answers before a conversation starts (issue 19). */
export function prechatService(ctx: ApiContext) {
  const { db } = ctx.database;

  /** The channel's form when it is switched on, else null. */
  const activeForm = async (channel: string) => {
    const form = await prechatFormOf(db, channel);
    return form?.enabled ? form : null;
  };

  /** True when the visitor still has to fill in the channel's form before a conversation starts. */
  async function required(visitorId: string, channel: string): Promise<{ form: PrechatForm | null; profile: VisitorProfile }> {
    const profile = await visitorProfile(db, visitorId);
    if (!profile) throw notFound('Visitor');
    const form = await activeForm(channel);
    if (!form || visitorIsKnown(profile) || await latestPrechatSubmission(db, visitorId, channel)) return { form: null, profile };
    return { form, profile };
  }

  /** A channel is one a service flow serves; a form for any other would never be shown. */
  async function assertChannel(channel: string): Promise<void> {
    const [flow] = await db.select({ id: flows.id }).from(flows).where(eq(flows.channel, channel)).limit(1);
    if (!flow) throw notFound(`Channel "${channel}" (no service flow serves it)`);
  }

  return {
    list: () => listPrechatForms(db),

    /** The channel's form as an admin edits it (a channel without one: the defaults, switched off). */
    async get(channel: string): Promise<PrechatForm> {
      await assertChannel(channel);
      return (await prechatFormOf(db, channel)) ?? PrechatFormSchema.parse({});
    },

    async save(channel: string, form: PrechatForm, actorId: string): Promise<PrechatForm> {
      await assertChannel(channel);
      await savePrechatForm(db, channel, form, actorId);
      return form;
    },

    async view(visitorId: string, channel: string): Promise<VisitorPrechatView> {
      const { form, profile } = await required(visitorId, channel);
      const ownName = profile.displayName !== generatedVisitorName(profile.visitorId) ? profile.displayName : null;
      return { form, skip: form === null, prefill: { name: ownName, email: profile.email } };
    },

    /** Refuses to start a conversation on a channel whose form this visitor has not filled in yet. */
    async assertDone(visitorId: string, channel: string): Promise<void> {
      if ((await required(visitorId, channel)).form) throw conflict('Fill in the pre-chat form first (GET /api/visitor/prechat)');
    },

    /**
     * Checks the answers against the channel's form and saves them to the visitor's profile (name, e-mail,
     * custom fields as attributes by their id; each change audited with the visitor as its author) and the
     * consent with its text. Any problem: 400 naming every bad field, and nothing is saved.
     */
    async submit(visitorId: string, answers: PrechatAnswers): Promise<VisitorPrechatView> {
      const form = await activeForm(answers.channel);
      if (!form) throw conflict(`The channel "${answers.channel}" has no pre-chat form`);
      const problems = prechatProblems(form, answers);
      if (problems.length > 0) throw badRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems[0].field);
      const labelled = [
        ...(form.name.show && answers.name ? [{ id: 'name', label: 'Name', value: answers.name }] : []),
        ...(form.email.show && answers.email ? [{ id: 'email', label: 'E-mail', value: answers.email }] : []),
        ...form.fields.filter((f) => answers.fields[f.id]?.trim()).map((f) => ({ id: f.id, label: f.label, value: answers.fields[f.id].trim() })),
      ];
      const saved = await updateVisitorProfile(db, visitorId, visitorId, (current) => {
        const set: Record<string, unknown> = {};
        const changes: ProfileChange[] = [];
        const name = answers.name?.trim();
        if (form.name.show && name && name !== current.displayName) {
          set.displayName = name;
          changes.push({ field: 'displayName', oldValue: current.displayName, newValue: name });
        }
        const email = answers.email?.trim();
        if (form.email.show && email && email !== current.email) {
          set.email = email;
          changes.push({ field: 'email', oldValue: current.email, newValue: email });
        }
        const attributes = { ...current.attributes };
        for (const f of form.fields) {
          const value = answers.fields[f.id]?.trim();
          if (!value || attributes[f.id] === value) continue;
          changes.push({ field: `attributes.${f.id}`, oldValue: attributes[f.id] ?? null, newValue: value });
          attributes[f.id] = value;
        }
        if (Object.keys(attributes).length > PROFILE_LIMITS.attributes) throw conflict(`The visitor's profile cannot hold more than ${PROFILE_LIMITS.attributes} attributes`);
        if (changes.some((c) => c.field.startsWith('attributes.'))) set.attributes = attributes;
        return { set, changes };
      });
      if (!saved) throw notFound('Visitor');
      await recordPrechatSubmission(db, { visitorId, channel: answers.channel, answers: labelled, consentText: form.consent.show ? form.consent.text : null });
      return { form: null, skip: true, prefill: { name: saved.displayName, email: saved.email } };
    },
  };
}
export type PrechatService = ReturnType<typeof prechatService>;
