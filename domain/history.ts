/**
 * Search over transcripts ("My conversations", the transcript viewer): how a search box's text becomes
 * a PostgreSQL full-text query, the partial-word patterns of the trigram fallback, and the snippet an
 * agent sees. Pure: db/history.ts runs the queries (the indexes: db/migrations/0011_history_search.sql).
 */

/** At most this many characters of a search are used, and this many terms. */
export const MAX_SEARCH_LENGTH = 200;
export const MAX_SEARCH_TERMS = 8;
/** The trigram index helps only for patterns of 3 characters or more. */
export const MIN_PARTIAL_LENGTH = 3;

/** Chinese, Japanese and Korean characters: indexed one by one and in pairs (see parley_search_doc). */
const CJK = '\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff';
const CJK_RUN = new RegExp(`[${CJK}]+|[^${CJK}]+`, 'gu');
const IS_CJK = new RegExp(`^[${CJK}]`, 'u');

/**
 * The terms of a search: runs of letters and digits, lower-cased (punctuation separates, as PostgreSQL's
 * parser does). Only letters and digits survive, so a term can never break out of a query.
 */
export function searchTerms(q: string): string[] {
  const runs = q.slice(0, MAX_SEARCH_LENGTH).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(runs)].slice(0, MAX_SEARCH_TERMS);
}

/**
 * The full-text query (to_tsquery('simple', …)) that finds every term as a word or the start of one;
 * a CJK part as its characters' pairs (or the character alone), which the index holds for any substring.
 */
export function wordsQuery(terms: string[]): string {
  const parts: string[] = [];
  for (const term of terms) {
    for (const piece of term.match(CJK_RUN) ?? []) {
      if (!IS_CJK.test(piece)) { parts.push(`'${piece}':*`); continue; }
      const chars = [...piece];
      if (chars.length === 1) parts.push(`'${piece}'`);
      for (let i = 0; i + 1 < chars.length; i++) parts.push(`'${chars[i]}${chars[i + 1]}'`);
    }
  }
  return parts.join(' & ');
}

/** CJK parts of several characters: their pairs only approximate them, so the text is checked for each too. */
export function cjkPhrases(terms: string[]): string[] {
  return terms.flatMap((t) => (t.match(CJK_RUN) ?? []).filter((p) => IS_CJK.test(p) && [...p].length > 2));
}

/**
 * Partial words for the trigram fallback (a term inside a word, "fund" in "refund"): the terms long
 * enough for the index. Null when none is, so the fallback would have to read every message.
 */
export function partialTerms(terms: string[]): string[] | null {
  return terms.some((t) => [...t].length >= MIN_PARTIAL_LENGTH) ? terms : null;
}

/** A piece of a message around what matched: plain text and where the matches are (UTF-16 offsets). */
export interface Snippet {
  text: string;
  highlights: Array<{ start: number; length: number }>;
  /** Whether the message goes on before / after the piece shown. */
  before: boolean;
  after: boolean;
}

const SNIPPET_BEFORE = 40;
const SNIPPET_LENGTH = 160;

/** The snippet of `text` around the first match of any term; matches are found case-insensitively. */
export function snippetOf(text: string, terms: string[]): Snippet {
  const escaped = terms.filter(Boolean).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = escaped.length ? new RegExp(escaped.join('|'), 'giu') : null;
  const first = pattern ? text.search(pattern) : -1;
  // short messages show whole; longer ones from a little before the first match
  let start = Math.max(0, Math.min((first < 0 ? 0 : first) - SNIPPET_BEFORE, text.length - SNIPPET_LENGTH));
  // never cut a surrogate pair or start mid-word when a space is near
  const space = text.lastIndexOf(' ', start);
  if (start > 0 && space >= 0 && start - space < 12) start = space + 1;
  if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start] ?? '')) start--;
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end] ?? '')) end++;
  const piece = text.slice(start, end);
  const highlights: Snippet['highlights'] = [];
  if (pattern) {
    for (const m of piece.matchAll(pattern)) if (m[0].length) highlights.push({ start: m.index, length: m[0].length });
  }
  return { text: piece, highlights, before: start > 0, after: end < text.length };
}
