import type { ChatMessage, MessageBody } from './messages.js';

/**
 * The visitor's transcript as plain text (issue 19): what the download and the e-mail carry. Plain text
 * only, never HTML: what people wrote is copied as written (control characters other than line breaks and
 * tabs removed), so nothing in it can become markup or a terminal escape.
 */

export const TRANSCRIPT_LOCALES = ['en', 'zh-CN'] as const;
export type TranscriptLocale = (typeof TRANSCRIPT_LOCALES)[number];

const WORDS: Record<TranscriptLocale, {
  title: string; conversation: string; started: string; visitor: string; agent: string; assistant: string; system: string;
  file: string; rated: (score: number, scale: number) => string; resolved: (yes: boolean) => string; subject: (date: string) => string;
  mailIntro: string; staffVisitor: string; note: string;
}> = {
  en: {
    title: 'Conversation transcript', conversation: 'Conversation', started: 'Started', visitor: 'You', agent: 'Agent', assistant: 'Assistant', system: 'Support',
    file: 'File', rated: (s, n) => `Rated ${s} of ${n}`, resolved: (yes) => (yes ? 'Question resolved: yes' : 'Question resolved: no'),
    subject: (date) => `Your conversation transcript (${date})`, mailIntro: 'Here is the transcript of your conversation with us.',
    staffVisitor: 'Visitor', note: 'Private note',
  },
  'zh-CN': {
    title: '会话记录', conversation: '会话', started: '开始时间', visitor: '您', agent: '客服', assistant: '智能助手', system: '客服中心',
    file: '文件', rated: (s, n) => `评分 ${s}/${n}`, resolved: (yes) => (yes ? '问题已解决：是' : '问题已解决：否'),
    subject: (date) => `您的会话记录（${date}）`, mailIntro: '以下是您与我们的会话记录。',
    staffVisitor: '访客', note: '内部备注',
  },
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;
const clean = (s: string) => s.replace(/\r\n?/g, '\n').replace(CONTROL, '');

/** `YYYY-MM-DD HH:MM:SS UTC`. */
export const transcriptTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

function bodyText(body: MessageBody, w: (typeof WORDS)[TranscriptLocale], staff: boolean): string | null {
  switch (body.kind) {
    case 'text': return body.text;
    case 'menu': return [body.header, ...body.items.map((i) => `- ${i.content}`), ...(body.tail ? [body.tail] : [])].join('\n');
    case 'form': return [body.prompt, ...(body.options ?? []).map((o) => `- ${o}`)].join('\n');
    case 'file': return `[${w.file}: ${body.name}]`;
    case 'rating-result': {
      const parts = [w.rated(body.score, body.scale ?? 5) + (body.label ? ` (${body.label})` : '')];
      if (body.resolved !== undefined) parts.push(w.resolved(body.resolved));
      if (body.comment) parts.push(body.comment);
      return [body.text, ...parts].join('\n');
    }
    case 'note': return staff ? `[${w.note}] ${body.text}` : null; // staff only: never in a visitor's transcript
    default: return body.text;
  }
}

function senderOf(m: ChatMessage, w: (typeof WORDS)[TranscriptLocale], visitorName?: string): string {
  switch (m.sender) {
    case 'visitor': return visitorName ? `${w.staffVisitor} ${visitorName}` : w.visitor;
    case 'agent': return m.senderName ?? w.agent;
    case 'bot': return w.assistant;
    default: return w.system;
  }
}

/** The transcript's lines: a header, then one entry per message (continuation lines indented). */
export function transcriptText(
  c: { id: string; createdAt: string; visitorName?: string }, messages: readonly ChatMessage[], locale: TranscriptLocale = 'en',
  /** Issue 21, the staff export: the visitor by name, private notes included (marked). */
  audience: 'visitor' | 'staff' = 'visitor',
): string {
  const w = WORDS[locale];
  const staff = audience === 'staff';
  const lines = [w.title, `${w.conversation}: ${c.id}`, `${w.started}: ${transcriptTime(c.createdAt)}`, ''];
  for (const m of messages) {
    const text = bodyText(m.body, w, staff);
    if (text === null) continue;
    const [first, ...rest] = clean(text).split('\n');
    lines.push(`[${transcriptTime(m.createdAt)}] ${clean(senderOf(m, w, staff ? c.visitorName : undefined))}: ${first}`, ...rest.map((l) => `    ${l}`));
  }
  return `${lines.join('\n')}\n`;
}

export const transcriptSubject = (createdAt: string, locale: TranscriptLocale = 'en') => WORDS[locale].subject(createdAt.slice(0, 10));
export const transcriptMailIntro = (locale: TranscriptLocale = 'en') => WORDS[locale].mailIntro;
