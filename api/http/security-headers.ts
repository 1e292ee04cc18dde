import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** The staff apps and the API: never framed. */
const STAFF_PREFIXES = ['/api', '/agent', '/admin', '/socket.io'];

const isStaffPath = (path: string) => STAFF_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * helmet with a strict Content-Security-Policy: scripts and styles only from the app's own files (the
 * built apps have no inline script or style), no plugins, no <base> tricks, forms and connections
 * (fetch, WebSocket) to this origin only. The agent and admin apps and the API may not be framed at
 * all; the visitor chat only by `frameOrigins` (default `'self'`), the sites an operator embeds it in.
 */
export function securityHeaders(frameOrigins: readonly string[] = ["'self'"]): RequestHandler {
  const make = (frameAncestors: readonly string[]) => helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'none'"],
        'connect-src': ["'self'"],
        'font-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': [...frameAncestors],
        'img-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
      },
    },
    // X-Frame-Options cannot name origins: DENY where nothing may frame, SAMEORIGIN for 'self' only,
    // else left out (browsers that know frame-ancestors ignore it anyway).
    xFrameOptions: frameAncestors.includes("'none'") ? { action: 'deny' }
      : frameAncestors.every((o) => o === "'self'") ? { action: 'sameorigin' } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  const staff = make(["'none'"]);
  const visitor = make(frameOrigins);
  return (req, res, next) => (isStaffPath(req.path) ? staff : visitor)(req, res, next);
}
