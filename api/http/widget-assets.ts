import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { ChannelSchema } from '../../domain/conversation.js';
import type { WidgetService } from '../services/widget.js';

/**
 * Issue 19: what a host page loads from the desk. `/widget.js` (the loader) and `/widget.d.ts` (the SDK's
 * types) are readable from any site; `/embed/` is the chat in the widget's iframe, which only the
 * channel's allowed origins may frame (CSP frame-ancestors, the desk itself always).
 */
export function widgetAssets(webDist: string, widget: WidgetService): Router {
  const router = Router();
  const crossSite = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };

  router.get('/widget.js', (_req, res, next) => {
    // Short freshness so a new build reaches sites within minutes; revalidated cheaply (ETag) after that.
    res.set({ ...crossSite, 'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400', 'Content-Type': 'text/javascript; charset=utf-8' });
    res.sendFile(path.join(webDist, 'widget.js'), (err) => err && next());
  });
  router.get('/widget.d.ts', (_req, res, next) => {
    res.set({ ...crossSite, 'Cache-Control': 'public, max-age=3600', 'Content-Type': 'text/plain; charset=utf-8' });
    res.sendFile(path.join(webDist, 'widget.d.ts'), (err) => err && next());
  });

  // The frame's hashed files never change under their name: cached for a year, so a returning page loads none of them again.
  router.use('/embed/assets', express.static(path.join(webDist, 'embed', 'assets'), { immutable: true, maxAge: '365d', index: false }));

  const page = path.join(webDist, 'embed', 'index.html');
  router.get(['/embed', '/embed/', '/embed/index.html'], (req, res, next) => void (async () => {
    if (!fs.existsSync(page)) return next();
    const raw = typeof req.query.channel === 'string' ? req.query.channel : 'web';
    const channel = ChannelSchema.safeParse(raw).success ? raw : 'web';
    const ancestors = ["'self'", ...await widget.allowedOrigins(channel)].join(' ');
    const csp = String(res.getHeader('Content-Security-Policy') ?? '');
    res.set('Content-Security-Policy', /frame-ancestors [^;]*/.test(csp) ? csp.replace(/frame-ancestors [^;]*/, `frame-ancestors ${ancestors}`) : `${csp};frame-ancestors ${ancestors}`);
    res.removeHeader('X-Frame-Options');
    res.set('Cache-Control', 'no-cache');
    res.sendFile(page);
  })().catch(next));
  return router;
}
