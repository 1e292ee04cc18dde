import type { PrechatAnswersInput, PrechatForm } from '../../domain/prechat';

/** The problems the visitor app words itself; the server checks the same rules again (domain/prechat.ts). */
export type PrechatErrorCode = 'required' | 'email' | 'option' | 'consent';

// The same shape the server accepts (zod's e-mail check is stricter; the server has the last word).
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Every field's problem, by field name (name, email, consent, fields.<id>); empty: the answers may go. */
export function prechatFieldErrors(form: PrechatForm, a: Omit<PrechatAnswersInput, 'channel'>): Record<string, PrechatErrorCode> {
  const errors: Record<string, PrechatErrorCode> = {};
  const blank = (v: string | undefined) => v === undefined || v.trim() === '';
  if (form.name.show && form.name.required && blank(a.name)) errors.name = 'required';
  if (form.email.show) {
    if (form.email.required && blank(a.email)) errors.email = 'required';
    else if (!blank(a.email) && !EMAIL.test(a.email!.trim())) errors.email = 'email';
  }
  if (form.consent.show && a.consent !== true) errors.consent = 'consent';
  for (const f of form.fields) {
    const v = a.fields?.[f.id];
    if (blank(v)) { if (f.required) errors[`fields.${f.id}`] = 'required'; } else if (f.type === 'select' && !f.options.includes(v!.trim())) errors[`fields.${f.id}`] = 'option';
  }
  return errors;
}
