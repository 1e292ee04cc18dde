import type { LocalizedText } from './localized-text.js';

/**
 * Where a flow holds the texts its visitors read (issue 19), so the validator, the node types and the
 * admin's translation editor see the same list. Paths are dotted; `[]` walks every item of an array. Pure
 * data and import-free (the admin app loads it too). A new node type with texts adds its line here.
 */
export const NODE_TEXT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  message: ['config.text'],
  menu: ['config.header', 'config.items[].content', 'config.items[].description', 'config.tail', 'config.retryMessage'],
  form: ['config.prompt', 'config.options[]', 'config.retryMessage', 'config.rules[].message'],
  handoff: ['config.connecting', 'config.connected', 'config.failed'],
  rating: ['config.text'],
  end: ['config.text'],
};

/**
 * The flow settings that are texts, the placeholders each may use besides the flow's variables, and whether
 * it is interpolated at all (`flowErrorText` is said as is; `otherTeamName` fills `${teamName}`).
 */
export const SETTINGS_TEXT_FIELDS: ReadonlyArray<{ path: string; extraPlaceholders?: readonly string[]; interpolated?: false }> = [
  { path: 'queueText' },
  { path: 'visitorReminderText' },
  { path: 'visitorTimeoutText' },
  { path: 'idleCloseText' },
  { path: 'closeText' },
  { path: 'flowErrorText', interpolated: false },
  { path: 'rating.text' },
  { path: 'rating.thanksText' },
  { path: 'rating.resolvedText' },
  { path: 'rating.labels[]', interpolated: false },
  { path: 'transferText' },
  { path: 'transferToTeamText', extraPlaceholders: ['teamName'] },
  { path: 'otherTeamName', interpolated: false },
  { path: 'offline.nobodyOnlineText' },
  { path: 'offline.outsideHoursText' },
  { path: 'offline.waitLimitText' },
  { path: 'offline.leftText' },
  { path: 'offline.droppedText' },
];

/** A text found in a node or the settings: its concrete path (`config.items[1].content`) and its value. */
export interface TextAt {
  at: string;
  text: LocalizedText;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is LocalizedText => typeof v === 'string' || (isRecord(v) && Object.values(v).every((t) => typeof t === 'string'));

/** The texts present at `fields` in `value` (absent optional ones are skipped); never throws on odd JSON. */
export function textsAt(value: unknown, fields: readonly string[]): TextAt[] {
  const found: TextAt[] = [];
  const walk = (at: unknown, steps: string[], path: string) => {
    if (steps.length === 0) {
      if (isText(at)) found.push({ at: path, text: at });
      return;
    }
    const [step, ...rest] = steps;
    const key = step.endsWith('[]') ? step.slice(0, -2) : step;
    if (!isRecord(at) || !Object.hasOwn(at, key)) return;
    const next = at[key];
    const here = path === '' ? key : `${path}.${key}`;
    if (!step.endsWith('[]')) return walk(next, rest, here);
    if (Array.isArray(next)) next.forEach((item, i) => walk(item, rest, `${here}[${i}]`));
  };
  for (const field of fields) walk(value, field.split('.'), '');
  return found;
}

/** The texts of a node (any JSON), by its `type`. */
export function nodeTexts(node: unknown): TextAt[] {
  const type = isRecord(node) && typeof node.type === 'string' ? node.type : '';
  return textsAt(node, Object.hasOwn(NODE_TEXT_FIELDS, type) ? NODE_TEXT_FIELDS[type] : []);
}
