// `.js`-free package import only, so the unit tests (NodeNext resolution) can import this file too.
import { find } from 'linkifyjs';

/** A piece of a message's text: plain text, or a link safe to render as an `<a>` (see linkSegments). */
export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** The only schemes a link in a message may have; anything else (javascript:, data:, vbscript:, file:, ftp:) stays text. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
/** Longer hrefs are left as text (a browser's own limit is about 2 MB; nobody reads such a link). */
const MAX_HREF = 2048;

/** The normalised href if it is safe to put in an `<a href>`, else null. */
export function safeHref(href: string): string | null {
  if (href.length > MAX_HREF || /\s/.test(href) || [...href].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && !url.hostname) return null;
  return url.href;
}

/**
 * Splits a message's text into text and link segments. The templates render each segment as a text node or
 * an `<a>` element (never HTML), so a message cannot inject markup; only http(s) and mailto links become links.
 */
export function linkSegments(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let at = 0;
  const pushText = (t: string) => {
    if (!t) return;
    const last = out[out.length - 1];
    if (last?.kind === 'text') last.text += t;
    else out.push({ kind: 'text', text: t });
  };
  for (const match of find(text)) {
    if (!match.isLink || match.start < at) continue;
    pushText(text.slice(at, match.start));
    const href = safeHref(match.href);
    if (href) out.push({ kind: 'link', text: match.value, href });
    else pushText(match.value);
    at = match.end;
  }
  pushText(text.slice(at));
  return out;
}
