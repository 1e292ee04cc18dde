import { z } from 'zod';
import type { ChannelAvailabilityStatus } from './availability.js';
import { ChannelSchema } from './conversation.js';
import { IDENTITY_STATUSES, PROFILE_LIMITS, VisitorPageInfoSchema, type IdentityStatus } from './visitor-context.js';

export { IDENTITY_STATUSES, VisitorIdentitySchema, type IdentityStatus, type VisitorIdentity } from './visitor-context.js';

/**
 * The embeddable widget (issue 19): per-channel launcher settings and allowed origins, the identity a
 * host page passes through `Parley.identify`, and the messages of the postMessage bridge between the
 * loader (web/widget/) and the chat in its iframe (web/embed/). docs/embedding.md.
 */

export const LAUNCHER_POSITIONS = ['bottom-right', 'bottom-left'] as const;
export const LAUNCHER_ICONS = ['chat', 'help', 'headset', 'mail'] as const;
export type LauncherPosition = (typeof LAUNCHER_POSITIONS)[number];
export type LauncherIcon = (typeof LAUNCHER_ICONS)[number];

export const WIDGET_LIMITS = { label: 40, origins: 20, origin: 200, externalId: 200 } as const;

export const WIDGET_DEFAULTS = {
  position: 'bottom-right' as LauncherPosition,
  color: '#2f6fde',
  label: 'Chat with us',
  icon: 'chat' as LauncherIcon,
};

/**
 * An exact web origin (`https://shop.example.com`, `http://localhost:8080`): scheme, host and port only.
 * No wildcard, path, query, credentials or trailing slash. Returned as the browser sends it in `Origin`
 * (so it is compared as a string), or null when it is not one.
 */
export function normalizeOrigin(raw: string): string | null {
  if (raw.length > WIDGET_LIMITS.origin || !/^https?:\/\/[^/?#@\s*]+$/i.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return null;
  // The URL parser accepts what a CSP source list must not carry (a `;` or `'` would break out of frame-ancestors).
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(url.host) && !/^\[[0-9a-f:.]+\](:\d{1,5})?$/.test(url.host)) return null;
  return url.origin; // lower case, default port dropped, IDN in punycode: what browsers send
}

export const WidgetOriginSchema = z.string()
  .max(WIDGET_LIMITS.origin, `an origin must be at most ${WIDGET_LIMITS.origin} characters`)
  .refine((v) => normalizeOrigin(v) !== null, 'an allowed origin is a scheme, host and optional port, like https://shop.example.com (no path, no wildcard, no trailing slash)')
  .transform((v) => normalizeOrigin(v) ?? v);

const ColorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'color must be a hex colour like #2f6fde').transform((c) => c.toLowerCase());
const LabelSchema = z.string().trim().min(1, 'the label must not be empty').max(WIDGET_LIMITS.label, `the label must be at most ${WIDGET_LIMITS.label} characters`)
  .refine((v) => ![...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'the label must not contain control characters');

/** What the launcher looks like: public (the loader reads it). */
export const WidgetDisplaySchema = z.object({
  position: z.enum(LAUNCHER_POSITIONS),
  color: z.string(),
  label: z.string(),
  icon: z.enum(LAUNCHER_ICONS),
});
export type WidgetDisplay = z.infer<typeof WidgetDisplaySchema>;

/** An admin's edit: only the fields sent change. */
export const WidgetSettingsPatchSchema = z.object({
  position: z.enum(LAUNCHER_POSITIONS, { error: `position must be one of ${LAUNCHER_POSITIONS.join(', ')}` }).optional(),
  color: ColorSchema.optional(),
  label: LabelSchema.optional(),
  icon: z.enum(LAUNCHER_ICONS, { error: `icon must be one of ${LAUNCHER_ICONS.join(', ')}` }).optional(),
  allowedOrigins: z.array(WidgetOriginSchema).max(WIDGET_LIMITS.origins, `at most ${WIDGET_LIMITS.origins} allowed origins`)
    .refine((list) => new Set(list).size === list.length, 'an origin is listed twice')
    .optional(),
}).strict();
export type WidgetSettingsPatch = z.infer<typeof WidgetSettingsPatchSchema>;

/** The admin's view of a channel's widget, with the identity-verification secret. */
export const WidgetSettingsSchema = WidgetDisplaySchema.extend({
  channel: z.string(),
  allowedOrigins: z.array(z.string()),
  /** HMAC-SHA256 key of `Parley.identify`'s hash (hex); only admins read it. */
  identitySecret: z.string(),
  secretRotatedAt: z.string(),
  updatedAt: z.string(),
});
export type WidgetSettings = z.infer<typeof WidgetSettingsSchema>;

export const WidgetSettingsListSchema = z.object({ channels: z.array(WidgetSettingsSchema) });

/** GET /api/widget/:channel: what the loader needs, and whether the asking page's origin may embed the chat. */
export const PublicWidgetConfigSchema = WidgetDisplaySchema.extend({
  channel: z.string(),
  /** The request's `Origin` is one of the channel's allowed origins. */
  originAllowed: z.boolean(),
});
export type PublicWidgetConfig = z.infer<typeof PublicWidgetConfigSchema>;

export const WidgetChannelParams = z.object({ channel: ChannelSchema });

const optionalText = (max: number, what: string) => z.string().trim().max(max, `${what} must be at most ${max} characters`).optional();

/** POST /api/visitor/identify: `Parley.identify(user, { hash })` relayed by the widget. */
export const IdentifyInputSchema = z.object({
  channel: ChannelSchema,
  /** The host page's origin, as the chat's frame knows it: must be an allowed origin of the channel. */
  embedOrigin: z.string().max(WIDGET_LIMITS.origin).optional(),
  id: z.string().trim().min(1, 'id must not be empty').max(WIDGET_LIMITS.externalId, `id must be at most ${WIDGET_LIMITS.externalId} characters`),
  name: optionalText(PROFILE_LIMITS.displayName, 'name'),
  email: z.email('email must be an e-mail address').max(PROFILE_LIMITS.email).optional(),
  phone: optionalText(PROFILE_LIMITS.phone, 'phone'),
  attributes: z.record(z.string().max(PROFILE_LIMITS.attributeKey).regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'an attribute key starts with a letter'),
    z.string().max(PROFILE_LIMITS.attributeValue)).refine((a) => Object.keys(a).length <= PROFILE_LIMITS.attributes, `at most ${PROFILE_LIMITS.attributes} attributes`).optional(),
  /** Hex HMAC-SHA256 of `id` keyed with the channel's identity secret, computed by the site's server. */
  hash: z.string().max(128).optional(),
}).strict();
export type IdentifyInput = z.infer<typeof IdentifyInputSchema>;

export const IdentifyResponseSchema = z.object({
  token: z.string(),
  visitorId: z.uuid(),
  displayName: z.string(),
  identity: z.enum(IDENTITY_STATUSES),
  /** Conversations moved from the anonymous visitor into the identified one. */
  merged: z.number().int(),
});
export type IdentifyResponse = z.infer<typeof IdentifyResponseSchema>;

/** Where the visitor's widget runs, sent with the session and the start (the API refuses an origin not allowed for the channel). */
export const EmbedFieldsSchema = z.object({ embedOrigin: z.string().max(WIDGET_LIMITS.origin).optional() });

/* ---- the postMessage bridge (web/widget/loader.ts ⇄ web/embed/bridge.ts); every message carries `parley: 1` ---- */

export type HostPage = z.infer<typeof VisitorPageInfoSchema>;

/** Host → chat frame. */
export type HostToFrame =
  | { parley: 1; type: 'host'; page: HostPage | null; mode: 'launcher' | 'inline'; /** what the host page keeps for a frame denied its storage */ state?: Record<string, string> }
  | { parley: 1; type: 'open' }
  | { parley: 1; type: 'close' }
  | { parley: 1; type: 'identify'; user: { id: string; name?: string; email?: string; phone?: string; attributes?: Record<string, string> }; hash?: string }
  | { parley: 1; type: 'setLocale'; locale: string }
  | { parley: 1; type: 'setAttributes'; attributes: Record<string, string> }
  | { parley: 1; type: 'pageView'; page: HostPage };

/** Chat frame → host. */
export type FrameToHost =
  | { parley: 1; type: 'ready' }
  | { parley: 1; type: 'open' }
  | { parley: 1; type: 'close' }
  | { parley: 1; type: 'unread'; count: number }
  | { parley: 1; type: 'message'; message: { id: string; sender: string; text: string | null } }
  | { parley: 1; type: 'conversationEnded'; conversationId: string }
  | { parley: 1; type: 'identified'; identity: IdentityStatus }
  | { parley: 1; type: 'error'; code: string; message: string }
  /** A frame denied its own storage asks the host page to keep a value (null: forget it). */
  | { parley: 1; type: 'store'; key: string; value: string | null }
  /** The channel's availability for the launcher (null: unknown, no indicator), in the chat's language: the state ("Online") and the whole text. */
  | { parley: 1; type: 'availability'; status: ChannelAvailabilityStatus | null; state: string; text: string };
