/** A search snippet split at its highlight offsets, for a template to render as text (never as HTML). */
export function snippetParts(s: { text: string; highlights: ReadonlyArray<{ start: number; length: number }> }): Array<{ text: string; hit: boolean }> {
  const parts: Array<{ text: string; hit: boolean }> = [];
  let at = 0;
  for (const h of [...s.highlights].sort((a, b) => a.start - b.start)) {
    const start = Math.max(0, Math.min(h.start, s.text.length));
    const end = Math.min(s.text.length, start + Math.max(0, h.length));
    if (start < at || end === start) continue;
    if (start > at) parts.push({ text: s.text.slice(at, start), hit: false });
    parts.push({ text: s.text.slice(start, end), hit: true });
    at = end;
  }
  if (at < s.text.length) parts.push({ text: s.text.slice(at), hit: false });
  return parts;
}
