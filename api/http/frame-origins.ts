/** One entry of VISITOR_FRAME_ORIGINS: `'self'`, or an http(s) origin, optionally with a `*.` subdomain wildcard (`'none'` only alone). */
export const FRAME_ORIGIN = /^('self'|'none'|https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?)$/i;

/** VISITOR_FRAME_ORIGINS as a list (comma- or space-separated); empty means `'self'`. */
export function parseFrameOrigins(value: string): string[] {
  const origins = value.split(/[\s,]+/).filter(Boolean);
  return origins.length ? origins : ["'self'"];
}
