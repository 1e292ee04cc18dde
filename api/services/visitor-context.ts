import type { Request } from 'express';
import { rooms, type VisitorContextChangedEvent } from '../../domain/contracts/events.js';
import { parseUserAgent } from '../../domain/user-agent.js';
import {
  PROFILE_LIMITS, type ConversationContext, type PageViewInput, type VisitorContextView, type VisitorPageInfo, type VisitorProfilePatch,
  type VisitorProfileView,
} from '../../domain/visitor-context.js';
import {
  addPageView, conversationsOfVisitor, flowVarsOf, journeyOf, originOf, profileAudit, recordOrigin, updateVisitorProfile, visitorProfile,
  type ProfileChange,
} from '../../db/visitor-context.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import type { ConversationService } from './conversations.js';
import { latestPrechatSubmission } from '../../db/prechat.js';

type Staff = Extract<Principal, { kind: 'staff' }>;

const OPEN = ['bot', 'queued', 'offered', 'assigned'];
/** A page view stamped further than this from the server's clock is stamped with the server's clock. */
const MAX_CLOCK_SKEW_MS = 24 * 3600_000;

const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

/**
 * The visitor in context (docs/security.md, "The visitor in context"): admins see and edit any visitor;
 * an agent sees the profile of a visitor whose conversation they hold or served (they are its agent),
 * and edits it only while holding one of the visitor's open conversations. Visitors never read it.
 */
export function visitorContextService(ctx: ApiContext, conversations: ConversationService) {
  const { db } = ctx.database;

  async function access(principal: Staff, visitorId: string): Promise<{ editable: boolean }> {
    if (principal.role === 'admin') return { editable: true };
    const mine = (await conversationsOfVisitor(db, visitorId)).filter((c) => c.agentId === principal.userId);
    if (mine.length === 0) throw forbidden('You can see only the profiles of visitors you serve');
    return { editable: mine.some((c) => c.status === 'assigned') };
  }

  async function profileView(principal: Staff, visitorId: string): Promise<VisitorProfileView> {
    const profile = await visitorProfile(db, visitorId);
    if (!profile) throw notFound('Visitor');
    const { editable } = await access(principal, visitorId);
    return { profile, audit: await profileAudit(db, visitorId), editable };
  }

  async function editable(principal: Staff, visitorId: string): Promise<void> {
    if (!(await visitorProfile(db, visitorId))) throw notFound('Visitor');
    const { editable: ok } = await access(principal, visitorId);
    if (!ok) throw forbidden('You can change a visitor\'s profile only while you serve one of their conversations');
  }

  /** Tells the staff who may see the visitor (their open conversations' agents, admins) to reload the panel; never the visitor. */
  async function announce(visitorId: string, what: VisitorContextChangedEvent['what'], conversationId?: string): Promise<void> {
    const open = await conversationsOfVisitor(db, visitorId, OPEN);
    const agents = [...new Set(open.map((c) => c.agentId).filter((a): a is string => Boolean(a)))];
    ctx.io.to([rooms.admins, ...agents.map(rooms.agent)]).emit('visitor-context:changed', { visitorId, what, ...(conversationId ? { conversationId } : {}) });
  }

  return {
    profileView,

    /** The panel's data for one conversation: where it started, its flow variables and journey, and the visitor's profile. */
    async contextView(principal: Staff, conversationId: string): Promise<VisitorContextView> {
      const c = await conversations.getVisible(principal, conversationId);
      const [origin, flowVariables, journey, prechat, view] = await Promise.all([
        originOf(db, conversationId), flowVarsOf(db, conversationId), journeyOf(db, conversationId), latestPrechatSubmission(db, c.visitorId),
        // The conversation's own agent sees its visitor (getVisible passed); editing needs it open and held.
        visitorProfile(db, c.visitorId).then(async (profile) => {
          if (!profile) throw notFound('Visitor');
          const editableNow = principal.role === 'admin' || (c.agentId === principal.userId && c.status === 'assigned');
          return { profile, audit: await profileAudit(db, c.visitorId), editable: editableNow };
        }),
      ]);
      const context: ConversationContext = {
        conversationId, visitorId: c.visitorId, channel: c.channel, startedAt: c.createdAt,
        page: origin ? { url: origin.pageUrl, title: origin.pageTitle, referrer: origin.referrer } : null,
        browser: origin?.browser ?? null, os: origin?.os ?? null, language: origin?.language ?? null,
        timezoneOffset: origin?.timezoneOffset ?? null, timeZone: origin?.timeZone ?? null,
        flowVariables, journey, prechat,
      };
      return { ...view, context };
    },

    /** Applies an edit; a field that does not change is not audited. Bad input (after the merge) changes nothing. */
    async updateProfile(principal: Staff, visitorId: string, patch: VisitorProfilePatch): Promise<VisitorProfileView> {
      await editable(principal, visitorId);
      await updateVisitorProfile(db, visitorId, principal.userId, (current) => {
        const set: Record<string, unknown> = {};
        const changes: ProfileChange[] = [];
        const field = (name: 'displayName' | 'email' | 'phone' | 'company', next: string | null | undefined) => {
          if (next === undefined || next === current[name]) return;
          set[name] = next;
          changes.push({ field: name, oldValue: current[name], newValue: next });
        };
        if (patch.displayName !== undefined) field('displayName', patch.displayName);
        field('email', blankToNull(patch.email));
        field('phone', blankToNull(patch.phone));
        field('company', blankToNull(patch.company));
        if (patch.attributes) {
          const attributes = { ...current.attributes };
          for (const [key, raw] of Object.entries(patch.attributes)) {
            const value = blankToNull(raw) ?? null;
            const old = attributes[key] ?? null;
            if (value === old) continue;
            if (value === null) delete attributes[key];
            else attributes[key] = value;
            changes.push({ field: `attributes.${key}`, oldValue: old, newValue: value });
          }
          if (Object.keys(attributes).length > PROFILE_LIMITS.attributes) {
            throw badRequest(`a visitor can have at most ${PROFILE_LIMITS.attributes} custom attributes`, 'attributes');
          }
          set.attributes = attributes;
        }
        return { set, changes };
      });
      await announce(visitorId, 'profile');
      return profileView(principal, visitorId);
    },

    async setVip(principal: Staff, visitorId: string, vip: boolean): Promise<VisitorProfileView> {
      await editable(principal, visitorId);
      await updateVisitorProfile(db, visitorId, principal.userId, (current) => (current.vip === vip
        ? { set: {}, changes: [] }
        : { set: { vip }, changes: [{ field: 'vip', oldValue: String(current.vip), newValue: String(vip) }] }));
      await announce(visitorId, 'profile');
      return profileView(principal, visitorId);
    },

    /** Where the visitor's conversation started, as their app reports it; the browser and OS come from the request's User-Agent. */
    async recordStart(conversationId: string, page: VisitorPageInfo, req: Request): Promise<void> {
      const ua = parseUserAgent(req.get('user-agent'));
      await recordOrigin(db, {
        conversationId, pageUrl: page.url, pageTitle: page.title || null, referrer: page.referrer || null,
        browser: ua?.browser ?? null, os: ua?.os ?? null, language: page.language ?? null,
        timezoneOffset: page.timezoneOffset ?? null, timeZone: page.timeZone ?? null,
      });
    },

    /** A page the visitor viewed during their open conversation. */
    async recordPageView(visitorId: string, view: PageViewInput): Promise<void> {
      const c = await conversations.currentForVisitor(visitorId);
      if (!c || c.status === 'rating' || c.status === 'ended') throw conflict('You have no open conversation; start one first');
      const now = Date.now();
      const claimed = view.at ? Date.parse(view.at) : NaN;
      const at = Number.isFinite(claimed) && Math.abs(claimed - now) <= MAX_CLOCK_SKEW_MS ? new Date(claimed) : new Date(now);
      await addPageView(db, { conversationId: c.id, url: view.url, title: view.title || null, at });
      await announce(visitorId, 'journey', c.id);
    },
  };
}
export type VisitorContextService = ReturnType<typeof visitorContextService>;
