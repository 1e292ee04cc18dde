import '../../../../domain/flow/load-re2.js'; // the engine's patterns need RE2 (workflows load it lazily)
import { describe, expect, it } from 'vitest';
import type { ConditionTest, FlowSettings } from '../../../../domain/flow/schema.js';
import { Chat, NOW, flowOf, say } from '../helpers.js';

type Hours = NonNullable<FlowSettings['workingHours']>;

/** Runs a condition node and returns the branch message the visitor sees. */
function branch(all: ConditionTest[], vars: Record<string, string> = {}, opts: { now?: Date; workingHours?: Partial<Hours> | null } = {}): string {
  const flow = flowOf(
    [
      { id: 'check', type: 'condition', config: { all }, edges: [{ on: 'true', to: 'yes' }, { on: 'false', to: 'no' }] },
      say('yes', 'yes'),
      say('no', 'no'),
    ],
    { settings: { workingHours: opts.workingHours === undefined ? null : opts.workingHours } },
  );
  const lines = new Chat(flow, vars, opts.now ?? NOW).lines;
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe('condition node', () => {
  it.each<[string, ConditionTest, Record<string, string>, string]>([
    ['equals match', { op: 'equals', variable: 'plan', value: 'gold' }, { plan: 'gold' }, 'yes'],
    ['equals is exact', { op: 'equals', variable: 'plan', value: 'gold' }, { plan: 'Gold' }, 'no'],
    ['equals on a missing variable compares with empty', { op: 'equals', variable: 'plan', value: '' }, {}, 'yes'],
    ['notEquals differs', { op: 'notEquals', variable: 'plan', value: 'gold' }, { plan: 'silver' }, 'yes'],
    ['notEquals same', { op: 'notEquals', variable: 'plan', value: 'gold' }, { plan: 'gold' }, 'no'],
    ['contains', { op: 'contains', variable: 'channel', value: 'app' }, { channel: 'mobile-app' }, 'yes'],
    ['does not contain', { op: 'contains', variable: 'channel', value: 'app' }, { channel: 'web' }, 'no'],
    ['matches', { op: 'matches', variable: 'order', value: '^ORD-\\d{4}$' }, { order: 'ORD-1234' }, 'yes'],
    ['does not match', { op: 'matches', variable: 'order', value: '^ORD-\\d{4}$' }, { order: 'ORD-12' }, 'no'],
    ['invalid regex is false', { op: 'matches', variable: 'order', value: '(unclosed' }, { order: '(unclosed' }, 'no'],
    ['gt', { op: 'gt', variable: 'age', value: 17 }, { age: '18' }, 'yes'],
    ['gt equal is false', { op: 'gt', variable: 'age', value: 18 }, { age: '18' }, 'no'],
    ['gte', { op: 'gte', variable: 'age', value: 18 }, { age: '18' }, 'yes'],
    ['lt', { op: 'lt', variable: 'total', value: 100 }, { total: '99.5' }, 'yes'],
    ['lt not', { op: 'lt', variable: 'total', value: 100 }, { total: '100' }, 'no'],
    ['lte', { op: 'lte', variable: 'total', value: 100 }, { total: ' 100 ' }, 'yes'],
    ['numbers compare numerically, not as text', { op: 'gt', variable: 'n', value: 9 }, { n: '10' }, 'yes'],
    ['non-numeric is false for gt', { op: 'gt', variable: 'age', value: 1 }, { age: 'old' }, 'no'],
    ['non-numeric is false for lte', { op: 'lte', variable: 'age', value: 1 }, { age: 'young' }, 'no'],
    ['empty is false for lt', { op: 'lt', variable: 'age', value: 1 }, { age: '' }, 'no'],
    ['missing is false for lt', { op: 'lt', variable: 'age', value: 1 }, {}, 'no'],
  ])('%s', (_name, test, vars, expected) => {
    expect(branch([test], vars)).toBe(expected);
  });

  it('requires every test to hold', () => {
    const tests: ConditionTest[] = [
      { op: 'equals', variable: 'plan', value: 'gold' },
      { op: 'gte', variable: 'age', value: 18 },
    ];
    expect(branch(tests, { plan: 'gold', age: '30' })).toBe('yes');
    expect(branch(tests, { plan: 'gold', age: '12' })).toBe('no');
    expect(branch(tests, { plan: 'free', age: '30' })).toBe('no');
  });

  it('does not treat inherited object properties as variables', () => {
    expect(branch([{ op: 'equals', variable: 'constructor', value: '' }], {})).toBe('yes');
    expect(branch([{ op: 'contains', variable: 'toString', value: 'function' }], {})).toBe('no');
  });

  it('ends the flow when the branch taken has no edge', () => {
    const flow = flowOf([{ id: 'check', type: 'condition', config: { all: [{ op: 'equals', variable: 'x', value: 'y' }] }, edges: [{ on: 'true', to: 'yes' }] }, say('yes', 'yes')]);
    const chat = new Chat(flow, { x: 'z' });
    expect(chat.lines).toEqual([]);
    expect(chat.wait).toBe('end');
  });

  describe('workingHours', () => {
    const weekdays9to18 = (timeZone: string): Partial<Hours> => ({ timeZone, weekly: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })) });

    it('is always open when the flow has no working hours', () => {
      expect(branch([{ op: 'workingHours' }], {}, { workingHours: null, now: new Date('2025-03-09T03:00:00Z') })).toBe('yes');
    });

    it('reads the clock in the timetable time zone', () => {
      // Wednesday 10:00 UTC = 18:00 in Shanghai (closed, end is exclusive) and 05:00 in New York (closed).
      expect(branch([{ op: 'workingHours' }], {}, { workingHours: weekdays9to18('UTC') })).toBe('yes');
      expect(branch([{ op: 'workingHours' }], {}, { workingHours: weekdays9to18('Asia/Shanghai') })).toBe('no');
      expect(branch([{ op: 'workingHours' }], {}, { workingHours: weekdays9to18('America/New_York') })).toBe('no');
      expect(branch([{ op: 'workingHours' }], {}, { workingHours: weekdays9to18('Europe/Berlin') })).toBe('yes');
    });

    it('combines with other tests', () => {
      const tests: ConditionTest[] = [{ op: 'workingHours' }, { op: 'equals', variable: 'vip', value: 'yes' }];
      expect(branch(tests, { vip: 'yes' }, { workingHours: weekdays9to18('UTC') })).toBe('yes');
      expect(branch(tests, { vip: 'no' }, { workingHours: weekdays9to18('UTC') })).toBe('no');
    });
  });
});
