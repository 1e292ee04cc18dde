/**
 * Canned responses: the variables their text may use, the Easemob-style placeholders mapped onto them,
 * and the one expansion both the API and the web apps run. No zod here (the web apps import this module
 * at run time; docs/architecture.md), no HTML: the result is plain text for the composer.
 * What each variable means and the CSV format: docs/canned-responses.md.
 */

/** Limits on canned responses (the API refuses more with 400/409). */
export const CANNED_LIMITS = {
  shortcut: 32,
  title: 120,
  text: 2000,
  category: 60,
  /** Responses of the organisation, and of each staff member. */
  orgCount: 5000,
  personalCount: 500,
  /** Answers of one lookup. */
  lookup: 20,
  /** A CSV import's body. */
  importBytes: 1024 * 1024,
} as const;

/** A shortcut without its `/`: letters, digits, `_` or `-`, compared case-insensitively (stored lower case). */
export const SHORTCUT_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** The variables a canned text may use as `${name}`. */
export const CANNED_VARIABLES = ['visitorName', 'agentName', 'conversationId', 'channel'] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number];
export type CannedValues = Readonly<Record<CannedVariable, string>>;

/**
 * Easemob-style `##name##` placeholders and the variable each stands for. The Easemob desk has one:
 * `##dear##`, the customer's nickname, or the desk's default form of address when the nickname is not
 * a real one (here: the name Parley generated, "Visitor 8D4A") — which is what `${visitorName}` does.
 */
export const CANNED_PLACEHOLDERS: Readonly<Record<string, CannedVariable>> = { dear: 'visitorName' };

/** The default form of address (`##dear##` / `${visitorName}` for a visitor who gave no name); admins change it. */
export const DEFAULT_ADDRESS = 'dear customer';

const TOKEN = /\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}|##([A-Za-z_][A-Za-z0-9_]*)##/g;

const isVariable = (name: string): name is CannedVariable => (CANNED_VARIABLES as readonly string[]).includes(name);

/** The variable a `${name}` or `##name##` token stands for, or null when it is none of ours. */
function variableOf(dollar: string | undefined, hash: string | undefined): CannedVariable | null {
  if (dollar !== undefined) return isVariable(dollar) ? dollar : null;
  const mapped = hash === undefined ? undefined : CANNED_PLACEHOLDERS[hash.toLowerCase()];
  return mapped ?? null;
}

/**
 * Fills the variables of a canned text in one pass (a value is never read as a placeholder again).
 * Unknown names, and known ones without a value, stay as written so the agent sees them before sending.
 */
export function expandCanned(text: string, values: Partial<CannedValues>): string {
  return text.replace(TOKEN, (token: string, dollar: string | undefined, hash: string | undefined) => {
    const variable = variableOf(dollar, hash);
    const value = variable ? values[variable] : undefined;
    return typeof value === 'string' ? value : token;
  });
}

/** The text with every known `##placeholder##` written as its `${variable}` (unknown ones untouched). */
export function placeholdersToVariables(text: string): string {
  return text.replace(TOKEN, (token: string, dollar: string | undefined, hash: string | undefined) => {
    if (dollar !== undefined) return token;
    const variable = variableOf(undefined, hash);
    return variable ? `\${${variable}}` : token;
  });
}

/** Names of the `${…}` and `##…##` tokens of a text that are not canned variables (shown as a warning when editing). */
export function unknownVariables(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (variableOf(m[1], m[2])) continue;
    const token = m[0];
    if (!names.includes(token)) names.push(token);
  }
  return names;
}

/** The display name Parley gives a visitor who did not give one (api/routes/visitor.ts). */
export function generatedVisitorName(visitorId: string): string {
  return `Visitor ${visitorId.slice(0, 4).toUpperCase()}`;
}

/** The values of the variables in one conversation, for the agent who will send the text. */
export function cannedValuesFor(input: {
  conversation: { id: string; channel: string; visitorId: string; visitorName: string };
  agentName: string;
  defaultAddress: string;
}): CannedValues {
  const { conversation: c } = input;
  const named = c.visitorName.trim() !== '' && c.visitorName !== generatedVisitorName(c.visitorId);
  return { visitorName: named ? c.visitorName : input.defaultAddress, agentName: input.agentName, conversationId: c.id, channel: c.channel };
}

/**
 * The shortcut being typed at the caret: a `/` at the start of the text or after white space, followed
 * by what may still become a shortcut. `start` is the index of the `/`; null when the caret is elsewhere.
 */
export function shortcutQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = /(^|\s)\/([A-Za-z0-9_-]{0,32})$/.exec(before);
  if (!m) return null;
  return { start: caret - m[2].length - 1, query: m[2] };
}
