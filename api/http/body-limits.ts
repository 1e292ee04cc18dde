/**
 * The largest JSON request body per path: 64 kB, except the flow routes' 1 MB (a 300-node draft with positions is
 * about 75 kB). `path` is the full request path (`/api/flows/…`).
 */
export const JSON_BODY_LIMIT_BYTES = 64 * 1024;
export const FLOW_JSON_BODY_LIMIT_BYTES = 1024 * 1024;

export function jsonBodyLimit(path: string): number {
  return path.startsWith('/api/flows') ? FLOW_JSON_BODY_LIMIT_BYTES : JSON_BODY_LIMIT_BYTES;
}
