import { describe, expect, it } from 'vitest';
import { arrivalSlots, buildPhrases, cumulative, parseBulkArgs, prng, BULK_DEFAULTS, TOPICS } from '../../../scripts/lib/bulk-plan.js';

const end = new Date('2026-06-03T12:34:00Z');

describe('seed:bulk plan', () => {
  it('spreads exactly the asked conversations over the hours of the range', () => {
    const slots = arrivalSlots({ conversations: 123_457, days: 90, tz: 'UTC', seed: 7 }, end);
    expect(slots).toHaveLength(90 * 24);
    expect(slots.reduce((n, s) => n + s.count, 0)).toBe(123_457);
    expect(slots[0].start.getTime()).toBeLessThan(slots[1].start.getTime());
    expect(slots.at(-1)!.start.getTime()).toBeLessThanOrEqual(end.getTime());
  });

  it('has business-hours peaks and quiet nights and weekends, in the chosen zone', () => {
    const slots = arrivalSlots({ conversations: 1_000_000, days: 28, tz: 'Asia/Shanghai', seed: 1 }, end);
    const byHour = Array.from({ length: 24 }, (_, h) => slots.filter((s) => s.localHour === h).reduce((n, s) => n + s.count, 0));
    const byDow = Array.from({ length: 7 }, (_, d) => slots.filter((s) => s.localDow === d).reduce((n, s) => n + s.count, 0));
    expect(byHour[10]).toBeGreaterThan(byHour[3] * 8);
    expect(byHour[12]).toBeLessThan(byHour[10]); // the lunch dip
    expect(byDow[1]).toBeGreaterThan(byDow[0] * 2); // Monday against Sunday
    expect(byDow[6]).toBeLessThan(byDow[3] * 0.6); // Saturday against Wednesday
    // Shanghai is UTC+8: its 10:00 is 02:00 UTC.
    expect(slots.find((s) => s.localHour === 10)!.start.getUTCHours()).toBe(2);
  });

  it('is repeatable for a seed and differs between seeds', () => {
    const a = arrivalSlots({ conversations: 5000, days: 10, tz: 'UTC', seed: 3 }, end).map((s) => s.count);
    expect(arrivalSlots({ conversations: 5000, days: 10, tz: 'UTC', seed: 3 }, end).map((s) => s.count)).toEqual(a);
    expect(arrivalSlots({ conversations: 5000, days: 10, tz: 'UTC', seed: 4 }, end).map((s) => s.count)).not.toEqual(a);
    expect(buildPhrases(3)).toEqual(buildPhrases(3));
    const r = prng(9);
    expect(Array.from({ length: 1000 }, r).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('makes messages of real words per topic, one in ten in Chinese, for visitors and agents', () => {
    const phrases = buildPhrases(1);
    expect(new Set(phrases.map((p) => p.topic)).size).toBe(TOPICS.length);
    expect(new Set(phrases.map((p) => p.sender))).toEqual(new Set(['visitor', 'agent']));
    const chinese = phrases.filter((p) => /[\u4e00-\u9fff]/.test(p.text));
    expect(chinese.length / phrases.length).toBeCloseTo(0.1, 2);
    const refund = phrases.filter((p) => p.topic === TOPICS.findIndex((t) => t.tag === 'refund') && !/[\u4e00-\u9fff]/.test(p.text));
    expect(refund.every((p) => TOPICS[p.topic].en.some((w) => p.text.split(' ').includes(w)))).toBe(true);
  });

  it('cumulative shares end at 1', () => {
    expect(cumulative([1, 1, 2])).toEqual([0.25, 0.5, 1]);
  });

  it('parses options and refuses bad ones with the option named', () => {
    expect(parseBulkArgs([])).toEqual(BULK_DEFAULTS);
    expect(parseBulkArgs(['--conversations', '1_000', '--days=30', '--seed', '5', '--tz', 'Europe/Paris', '--replace']))
      .toMatchObject({ conversations: 1000, days: 30, seed: 5, tz: 'Europe/Paris', replace: true });
    expect(() => parseBulkArgs(['--conversations', '0'])).toThrow(/--conversations must be an integer/);
    expect(() => parseBulkArgs(['--days', 'ten'])).toThrow(/--days/);
    expect(() => parseBulkArgs(['--tz', 'Mars/Base'])).toThrow(/--tz must be an IANA time zone/);
    expect(() => parseBulkArgs(['--agents', '3'])).toThrow(/--agents/);
    expect(() => parseBulkArgs(['--bogus'])).toThrow(/unknown option "--bogus"/);
  });
});
