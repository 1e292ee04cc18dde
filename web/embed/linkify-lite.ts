/**
 * `linkifyjs`'s `find` as the chat's frame bundle has it (web/vite.config.ts aliases the package here for that
 * build only; linkifyjs is 10 kB gzipped, a third of the frame's budget left after Vue and Socket.IO). It finds
 * what a visitor needs: `http(s)://…` and `www.…` addresses and e-mail addresses; bare domains (`example.com`)
 * stay text here. web/common/linkify.ts still decides what is safe to render as a link (safeHref).
 */
export interface LinkMatch { type: 'url' | 'email'; value: string; href: string; start: number; end: number; isLink: true }

const PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** Punctuation that ends a sentence rather than the address. */
const TRAILING = /[.,;:!?)\]}'"]+$/;

export function find(text: string): LinkMatch[] {
  const out: LinkMatch[] = [];
  for (const m of text.matchAll(PATTERN)) {
    let value = m[0];
    const open = (value.match(/\(/g) ?? []).length;
    const trimmed = value.replace(TRAILING, '');
    // Keep a closing parenthesis that closes one inside the address (Wikipedia-style links).
    value = open > 0 && value.endsWith(')') && (trimmed.match(/\(/g) ?? []).length > (trimmed.match(/\)/g) ?? []).length ? trimmed + ')' : trimmed;
    if (!value) continue;
    const email = !/^(?:https?:\/\/|www\.)/i.test(value);
    const href = email ? `mailto:${value}` : /^www\./i.test(value) ? `http://${value}` : value;
    out.push({ type: email ? 'email' : 'url', value, href, start: m.index, end: m.index + value.length, isLink: true });
  }
  return out;
}
