import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { ChannelSchema } from '../../domain/conversation.js';
import type { PublicWidgetConfig } from '../../domain/widget.js';
import type { WidgetService } from '../services/widget.js';

/**
 * Issue 19: what a host page loads from the desk. `/widget.js` (the loader) and `/widget.d.ts` (the SDK's
 * types) are readable from any site; `/embed/` is the chat in the widget's iframe, which only the
 * channel's allowed origins may frame (CSP frame-ancestors, the desk itself always).
 */
/** The origin of the page that asked, from its Referer (browsers send at least the origin cross-site by default). */
function refererOrigin(referer: string | undefined): string | null {
  if (!referer) return null;
  try {
    const url = new URL(referer);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** A statement that hands the loader its channel's look; JSON made safe to sit in a script (no `<`, no line separators). */
export function preloadStatement(config: PublicWidgetConfig): string {
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `(window.ParleyPreload = window.ParleyPreload || {})[${json(config.channel)}] = ${json(config)};`;
}

export function widgetAssets(webDist: string, widget: WidgetService): Router {
  const router = Router();
  const crossSite = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };

  const loaderFile = path.join(webDist, 'widget.js');
  let loader: { mtimeMs: number; source: string } | null = null;
  async function loaderSource(): Promise<string> {
    const { mtimeMs } = await fs.promises.stat(loaderFile);
    if (loader?.mtimeMs !== mtimeMs) loader = { mtimeMs, source: await fs.promises.readFile(loaderFile, 'utf8') };
    return loader.source;
  }

  router.get('/widget.js', (req, res, next) => void (async () => {
    const channel = typeof req.query.channel === 'string' && ChannelSchema.safeParse(req.query.channel).success ? req.query.channel : null;
    const origin = refererOrigin(req.get('referer'));
    const config = channel && origin ? await widget.publicConfig(channel, origin).catch(() => null) : null;
    if (!config) {
      // Short freshness so a new build reaches sites within minutes; revalidated cheaply (ETag) after that.
      res.set({ ...crossSite, 'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400', 'Content-Type': 'text/javascript; charset=utf-8' });
      return res.sendFile(loaderFile, (err) => err && next());
    }
    // `widget.js?channel=…` carries the channel's look for the page that asked (its Referer), so a first
    // visit draws the launcher without a second round trip. Whether the origin may embed is only a hint
    // here (a Referer can be made up): the chat's frame is what checks it (frame-ancestors, embedOrigin).
    const source = await loaderSource().catch(() => null); // no build: as a missing file would
    if (source === null) return next();
    res.set({ ...crossSite, 'Cache-Control': 'private, max-age=60', Vary: 'Referer', 'Content-Type': 'text/javascript; charset=utf-8' });
    res.send(`${preloadStatement(config)}\n${source}`);
  })().catch(next));
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
