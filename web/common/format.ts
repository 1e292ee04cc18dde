import { currentLocale, t } from './i18n/index.js';

/** Formatters in the current locale, made once per locale. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormat(kind: 'time' | 'dateTime', options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const locale = currentLocale();
  const key = `${locale}|${kind}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatTime(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? dateFormat('time', { hour: '2-digit', minute: '2-digit' }).format(d) : '';
}

export function formatDateTime(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? dateFormat('dateTime', { dateStyle: 'short', timeStyle: 'short' }).format(d) : '';
}

/** A number in the current locale (1,234 / 1,234). */
export function formatNumber(n: number): string {
  return n.toLocaleString(currentLocale());
}

/** Whole seconds from `now` until `iso` (never negative); null when there is no deadline. */
export function secondsUntil(iso: string | null | undefined, now: number): number | null {
  const d = parse(iso);
  if (!d) return null;
  return Math.max(0, Math.ceil((d.getTime() - now) / 1000));
}

export function formatCountdown(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m}:${String(s).padStart(2, '0')}` : t('common.duration.seconds', { s });
}

/** Whole seconds elapsed from `iso` to `now` (never negative). */
export function secondsSince(iso: string | null | undefined, now: number): number {
  const d = parse(iso);
  return d ? Math.max(0, Math.floor((now - d.getTime()) / 1000)) : 0;
}

/** 45s, 3m 07s, 2h 05m (45 秒, 3 分 07 秒, 2 小时 05 分) */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return t('common.duration.seconds', { s });
  if (s < 3600) return t('common.duration.minutes', { m: Math.floor(s / 60), s: pad(s % 60) });
  return t('common.duration.hours', { h: Math.floor(s / 3600), m: pad(Math.floor((s % 3600) / 60)) });
}
