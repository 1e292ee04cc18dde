import type { WorkingHours } from './settings.js';

interface LocalTime {
  /** 0 = Sunday … 6 = Saturday */
  day: number;
  /** Minutes since local midnight. */
  minutes: number;
  /** YYYY-MM-DD */
  date: string;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function localTime(timeZone: string, now: Date): LocalTime | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).formatToParts(now);
  } catch {
    return null; // unknown time zone or invalid date
  }
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAYS[get('weekday')];
  const hour = Number(get('hour'));
  const minute = Number(get('minute'));
  if (day === undefined || !Number.isInteger(hour) || !Number.isInteger(minute)) return null;
  return { day, minutes: (hour % 24) * 60 + minute, date: `${get('year')}-${get('month')}-${get('day')}` };
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * Whether `now` falls inside the weekly timetable, read in the timetable's IANA time zone.
 * Ranges are [start, end); a range whose end is not after its start runs overnight into the next day.
 * Holidays (local dates) are closed all day. An unknown time zone counts as closed.
 */
export function isWithinWorkingHours(hours: WorkingHours, now: Date): boolean {
  const local = localTime(hours.timeZone, now);
  if (local === null) return false;
  if (hours.holidays.includes(local.date)) return false;
  const yesterday = (local.day + 6) % 7;
  return hours.weekly.some((range) => {
    const start = toMinutes(range.start);
    const end = toMinutes(range.end);
    if (start < end) return range.day === local.day && local.minutes >= start && local.minutes < end;
    // overnight: from start until midnight on `day`, then from midnight until end on the next day
    return (range.day === local.day && local.minutes >= start) || (range.day === yesterday && local.minutes < end);
  });
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
