import { describe, expect, it } from 'vitest';
import { WorkingHoursSchema, type WorkingHours } from '../../../domain/flow/schema.js';
import { isWithinWorkingHours } from '../../../domain/flow/working-hours.js';

const hours = (input: Parameters<typeof WorkingHoursSchema.parse>[0]): WorkingHours => WorkingHoursSchema.parse(input);
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const open = (h: WorkingHours, iso: string) => isWithinWorkingHours(h, new Date(iso));

describe('isWithinWorkingHours', () => {
  const shanghai = hours({ timeZone: 'Asia/Shanghai', weekly: weekdays('09:00', '18:00') });

  it('opens at the start time and closes at the end time (end exclusive)', () => {
    expect(open(shanghai, '2025-03-05T00:59:00Z')).toBe(false); // 08:59 local
    expect(open(shanghai, '2025-03-05T01:00:00Z')).toBe(true); // 09:00
    expect(open(shanghai, '2025-03-05T09:59:00Z')).toBe(true); // 17:59
    expect(open(shanghai, '2025-03-05T10:00:00Z')).toBe(false); // 18:00
  });

  it('uses the local weekday, not the UTC one', () => {
    // Friday 23:30 UTC is Saturday 07:30 in Shanghai: closed. Sunday 22:00 UTC is Monday 06:00 there.
    const allDayWeekdays = hours({ timeZone: 'Asia/Shanghai', weekly: weekdays('00:00', '24:00') });
    expect(open(allDayWeekdays, '2025-03-07T23:30:00Z')).toBe(false);
    expect(open(allDayWeekdays, '2025-03-07T15:30:00Z')).toBe(true); // Friday 23:30 local
    expect(open(allDayWeekdays, '2025-03-09T22:00:00Z')).toBe(true); // Monday 06:00 local
    expect(open(allDayWeekdays, '2025-03-09T15:59:00Z')).toBe(false); // Sunday 23:59 local
  });

  it('follows daylight saving time in the zone', () => {
    const ny = hours({ timeZone: 'America/New_York', weekly: weekdays('09:00', '17:00') });
    // 13:30 UTC is 08:30 EST in winter (closed) and 09:30 EDT in summer (open).
    expect(open(ny, '2025-01-15T13:30:00Z')).toBe(false);
    expect(open(ny, '2025-07-16T13:30:00Z')).toBe(true);
  });

  it('handles zones with unusual offsets', () => {
    const chatham = hours({ timeZone: 'Pacific/Chatham', weekly: [{ day: 3, start: '09:00', end: '09:30' }] });
    // Chatham is UTC+13:45 in March (daylight time): Tuesday 19:20 UTC = Wednesday 09:05.
    expect(open(chatham, '2025-03-04T19:20:00Z')).toBe(true);
    expect(open(chatham, '2025-03-04T19:50:00Z')).toBe(false);
    const kolkata = hours({ timeZone: 'Asia/Kolkata', weekly: [{ day: 3, start: '09:00', end: '10:00' }] });
    expect(open(kolkata, '2025-03-05T03:29:00Z')).toBe(false); // 08:59
    expect(open(kolkata, '2025-03-05T03:30:00Z')).toBe(true); // 09:00
  });

  it('reads midnight as 00:00', () => {
    const earlyBird = hours({ timeZone: 'UTC', weekly: [{ day: 3, start: '00:00', end: '01:00' }] });
    expect(open(earlyBird, '2025-03-05T00:00:00Z')).toBe(true);
    expect(open(earlyBird, '2025-03-05T00:30:00Z')).toBe(true);
    expect(open(earlyBird, '2025-03-04T23:59:00Z')).toBe(false);
  });

  it('supports several ranges on one day', () => {
    const split = hours({ timeZone: 'UTC', weekly: [{ day: 3, start: '09:00', end: '12:00' }, { day: 3, start: '13:00', end: '17:00' }] });
    expect(open(split, '2025-03-05T11:00:00Z')).toBe(true);
    expect(open(split, '2025-03-05T12:30:00Z')).toBe(false);
    expect(open(split, '2025-03-05T13:00:00Z')).toBe(true);
  });

  it('runs a range that ends before it starts overnight into the next day', () => {
    const night = hours({ timeZone: 'UTC', weekly: [{ day: 5, start: '22:00', end: '02:00' }] }); // Friday night
    expect(open(night, '2025-03-07T21:59:00Z')).toBe(false);
    expect(open(night, '2025-03-07T23:00:00Z')).toBe(true);
    expect(open(night, '2025-03-08T01:59:00Z')).toBe(true); // Saturday early morning
    expect(open(night, '2025-03-08T02:00:00Z')).toBe(false);
    expect(open(night, '2025-03-08T23:00:00Z')).toBe(false); // Saturday night is not listed
  });

  it('closes all day on holidays, by local date', () => {
    const withHoliday = hours({ timeZone: 'Asia/Shanghai', weekly: weekdays('00:00', '24:00'), holidays: ['2025-10-01'] });
    expect(open(withHoliday, '2025-09-30T15:59:00Z')).toBe(true); // 30 Sep 23:59 local
    expect(open(withHoliday, '2025-09-30T16:00:00Z')).toBe(false); // 1 Oct 00:00 local, still 30 Sep in UTC
    expect(open(withHoliday, '2025-10-01T15:59:00Z')).toBe(false);
    expect(open(withHoliday, '2025-10-01T16:00:00Z')).toBe(true); // 2 Oct
  });

  it('is closed with an empty timetable', () => {
    expect(open(hours({}), '2025-03-05T10:00:00Z')).toBe(false);
  });

  it('treats an unknown time zone or an invalid date as closed instead of throwing', () => {
    const bogus: WorkingHours = { timeZone: 'Mars/Olympus_Mons', weekly: weekdays('00:00', '24:00'), holidays: [] };
    expect(open(bogus, '2025-03-05T10:00:00Z')).toBe(false);
    expect(isWithinWorkingHours(hours({ weekly: weekdays('00:00', '24:00') }), new Date('not a date'))).toBe(false);
  });
});
