import { fileTypeFromBuffer } from 'file-type';

/** What a file's bytes are, whatever its name or declared Content-Type says. */
export type Sniffed =
  | { ok: true; mime: string; ext: string }
  /** `markup`: text that a browser would run as HTML/SVG; `unknown`: neither a known binary type nor text. */
  | { ok: false; reason: 'markup' | 'unknown'; mime?: string };

/** Markup a browser would render (and run script in) if it ever treated the file as a page or an image. */
const MARKUP = /<\s*(?:!doctype|html|head|body|svg|script|iframe|object|embed|\?xml|xsl|math|style|meta|link|img|a\s)/i;

/** Extensions that name the same type as the sniffed one (a name keeps its own if it is one of these). */
const ALIASES: Record<string, string[]> = { jpg: ['jpg', 'jpeg', 'jpe', 'jfif'], txt: ['txt', 'text', 'log', 'csv', 'md', 'json'], tif: ['tif', 'tiff'] };

/**
 * Decides a file's type from its content: file-type's magic numbers for binary formats; otherwise
 * valid UTF-8 without NUL bytes is plain text, unless it contains markup (an SVG or HTML page passed
 * off as an image or a text file is refused, never stored).
 */
export async function sniff(bytes: Buffer): Promise<Sniffed> {
  const found = await fileTypeFromBuffer(bytes);
  // XML (SVG is XML) and other text formats file-type names: a browser could render them as a page.
  const textual = found && (found.mime === 'application/xml' || found.mime.startsWith('text/') || found.mime.includes('svg'));
  if (found && !textual) return { ok: true, mime: found.mime, ext: found.ext };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'unknown' };
  }
  if (text.includes('\u0000')) return { ok: false, reason: 'unknown' };
  if (MARKUP.test(text)) return { ok: false, reason: 'markup', mime: found?.mime ?? 'text/html' };
  if (found) return { ok: true, mime: found.mime, ext: found.ext };
  return { ok: true, mime: 'text/plain', ext: 'txt' };
}

/**
 * The name to store: the user's, with the sniffed type's extension added when its own names another
 * type ("invoice.pdf" holding a PNG becomes "invoice.pdf.png"), so a download opens with the right program.
 */
export function nameForType(name: string, ext: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  const clean = name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim() || 'file';
  const own = /\.([^.]+)$/.exec(clean)?.[1]?.toLowerCase();
  const accepted = ALIASES[ext] ?? [ext];
  return own && accepted.includes(own) ? clean : `${clean}.${ext}`;
}
