import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { generatedVisitorName } from '../../domain/canned/expand.js';
import { rooms } from '../../domain/contracts/events.js';
import { normalizeOrigin, WIDGET_DEFAULTS, type IdentifyInput, type IdentifyResponse, type PublicWidgetConfig } from '../../domain/widget.js';
import { createVisitor, findVisitor } from '../../db/visitors.js';
import { channelExists, displayOf, storedWidgetSettings, widgetSettingsOf } from '../../db/widget-settings.js';
import { mergeAttributes, mergeVisitorInto, setIdentity, verifiedVisitor, type IdentityProfile } from '../../db/visitor-identity.js';
import type { ApiContext } from '../context.js';
import { forbidden, notFound } from '../http/errors.js';

/** How long an API process reuses a channel's allowed origins (an admin's change in this process applies at once). */
const ORIGINS_TTL_MS = 5_000;

/** Hex HMAC-SHA256 of the site's user id with the channel's identity secret, compared in constant time. */
export function identityHashMatches(secret: string, externalId: string, hash: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(hash)) return false;
  const expected = createHmac('sha256', secret).update(externalId, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(hash, 'hex'));
}

const isUniqueViolation = (err: unknown) => typeof err === 'object' && err !== null
  && ((err as { code?: string }).code === '23505' || (err as { cause?: { code?: string } }).cause?.code === '23505');

const services = new WeakMap<ApiContext, ReturnType<typeof createWidgetService>>();

/** The widget service of this API process (one cache per process). */
export function widgetService(ctx: ApiContext) {
  let service = services.get(ctx);
  if (!service) services.set(ctx, service = createWidgetService(ctx));
  return service;
}

function createWidgetService(ctx: ApiContext) {
  const { db } = ctx.database;
  const defaultSecret = (channel: string) => ctx.tokens.derivedKey(`widget-identity:${channel}`);
  const originCache = new Map<string, { origins: string[]; at: number }>();

  /** The channel's allowed origins (none until an admin adds some). */
  async function allowedOrigins(channel: string): Promise<string[]> {
    const hit = originCache.get(channel);
    if (hit && Date.now() - hit.at < ORIGINS_TTL_MS) return hit.origins;
    const origins = (await storedWidgetSettings(db, channel))?.allowedOrigins ?? [];
    originCache.set(channel, { origins, at: Date.now() });
    return origins;
  }

  async function isAllowed(channel: string, origin: string): Promise<boolean> {
    const normal = normalizeOrigin(origin);
    return normal !== null && (await allowedOrigins(channel)).includes(normal);
  }

  const refusal = (origin: string, channel: string) => forbidden(
    `This site (${origin.slice(0, 200)}) is not allowed to embed the chat of channel "${channel}". An admin can add it to the channel's allowed origins (Admin → Widget).`);

  /**
   * Refuses a widget request from a page that may not embed the channel: the host origin the chat's frame
   * reports (`embedOrigin`), and a browser request sent from another site (`Sec-Fetch-Site`) by its `Origin`.
   * Requests from the desk's own pages and from non-browser clients carry neither and pass.
   */
  async function assertEmbedAllowed(req: Request, channel: string | undefined, embedOrigin: string | undefined): Promise<void> {
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    const crossSite = origin && site && site !== 'same-origin' && site !== 'none';
    if (embedOrigin === undefined && !crossSite) return;
    const claimed = embedOrigin ?? origin ?? '';
    if (!channel || !(await isAllowed(channel, claimed))) throw refusal(claimed, channel ?? 'web');
    if (crossSite && !(await isAllowed(channel, origin))) throw refusal(origin, channel);
  }

  async function tokenFor(visitorId: string, identity: IdentifyResponse['identity'], merged: number): Promise<IdentifyResponse> {
    const visitor = await findVisitor(db, visitorId);
    if (!visitor) throw notFound('Visitor');
    return { token: await ctx.tokens.signVisitor(visitorId), visitorId, displayName: visitor.displayName, identity, merged };
  }

  async function newVisitor(): Promise<string> {
    const id = randomUUID();
    await createVisitor(db, { id, displayName: generatedVisitorName(id) });
    return id;
  }

  /** Tells staff who see the visitor's conversations that its profile (or owner) changed. */
  function announce(visitorId: string) {
    ctx.io.to(rooms.admins).emit('visitor-context:changed', { visitorId, what: 'profile' });
  }

  return {
    defaultSecret,
    allowedOrigins,
    assertEmbedAllowed,

    /** The loader's settings; `originAllowed` judges the request's Origin. Nothing is written. */
    async publicConfig(channel: string, origin: string | undefined): Promise<PublicWidgetConfig> {
      if (!(await channelExists(db, channel))) throw notFound('Channel');
      const stored = await storedWidgetSettings(db, channel);
      const display = stored ? displayOf(stored) : WIDGET_DEFAULTS;
      return { channel, ...display, originAllowed: Boolean(origin && stored && await isAllowed(channel, origin)) };
    },

    /** Forgets the cached origins of a channel (an admin changed them). */
    invalidate(channel: string) {
      originCache.delete(channel);
    },

    /**
     * Parley.identify. A verified id (its hash checks out with the channel's secret) is one visitor per
     * (channel, id): an anonymous visitor is merged into it (its conversations move), and the answer's
     * token names it. An unverified id only labels the current visitor, and never reaches a verified
     * visitor: a verified session told another, unproven id gets a fresh visitor instead.
     */
    async identify(visitorId: string, input: IdentifyInput, req: Request): Promise<IdentifyResponse> {
      await assertEmbedAllowed(req, input.channel, input.embedOrigin);
      if (!(await channelExists(db, input.channel))) throw notFound('Channel');
      const current = await findVisitor(db, visitorId);
      if (!current) throw notFound('Visitor');
      const { identitySecret } = await widgetSettingsOf(db, input.channel, defaultSecret);
      const verified = input.hash !== undefined && identityHashMatches(identitySecret, input.id, input.hash);
      const profile: IdentityProfile = { displayName: input.name, email: input.email, phone: input.phone, attributes: input.attributes };
      const who = { channel: input.channel, externalId: input.id };
      const sameUser = current.identity === 'verified' && current.identityChannel === input.channel && current.externalId === input.id;

      if (!verified) {
        if (sameUser) return tokenFor(current.id, 'verified', 0); // this session proved it before
        const target = current.identity === 'verified' ? await newVisitor() : current.id;
        await setIdentity(db, target, { status: 'unverified', ...who }, profile);
        announce(target);
        return tokenFor(target, 'unverified', 0);
      }

      if (sameUser) {
        await setIdentity(db, current.id, { status: 'verified', ...who }, profile);
        return tokenFor(current.id, 'verified', 0);
      }
      for (let attempt = 0; ; attempt++) {
        const existing = await verifiedVisitor(db, input.channel, input.id);
        if (existing) {
          // Another verified user's session on this device is not merged: it stays theirs.
          const merged = current.identity === 'verified' ? 0 : await mergeVisitorInto(db, current.id, existing.id);
          await setIdentity(db, existing.id, { status: 'verified', ...who }, profile);
          if (merged) ctx.io.in(`visitor:${current.id}`).disconnectSockets(true);
          announce(existing.id);
          return tokenFor(existing.id, 'verified', merged);
        }
        const target = current.identity === 'verified' ? await newVisitor() : current.id;
        try {
          await setIdentity(db, target, { status: 'verified', ...who }, profile);
          announce(target);
          return tokenFor(target, 'verified', 0);
        } catch (err) {
          // Two first logins of the same user at once: the other made it; merge into theirs.
          if (!isUniqueViolation(err) || attempt > 0) throw err;
        }
      }
    },

    /** Parley.setAttributes: merged into the visitor's custom attributes. */
    async setAttributes(visitorId: string, attributes: Record<string, string>): Promise<void> {
      await mergeAttributes(db, visitorId, attributes);
      announce(visitorId);
    },
  };
}
export type WidgetService = ReturnType<typeof widgetService>;
