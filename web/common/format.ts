const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatTime(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? timeFmt.format(d) : '';
}

export function formatDateTime(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? dateTimeFmt.format(d) : '';
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
  return m > 0 ? `${m}:${String(s).padStart(2, '0')}` : `${s}s`;
}

/** Whole seconds elapsed from `iso` to `now` (never negative). */
export function secondsSince(iso: string | null | undefined, now: number): number {
  const d = parse(iso);
  return d ? Math.max(0, Math.floor((now - d.getTime()) / 1000)) : 0;
}

/** 45s, 3m 07s, 2h 05m */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
