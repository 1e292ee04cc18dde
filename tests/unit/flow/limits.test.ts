import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FLOW_ERROR_TEXT, MAX_INTERPOLATED_TEXT_LENGTH, MAX_PATTERN_INPUT_LENGTH, MAX_PATTERN_LENGTH, MAX_STEPS_PER_CALL, MAX_VARIABLE_LENGTH,
} from '../../../domain/flow/limits.js';
import { interpolate } from '../../../domain/flow/interpolate.js';
import { compilePattern } from '../../../domain/flow/patterns.js';
import { validateFlow } from '../../../domain/flow/validate.js';
import { Chat, endEffect, flowOf, say, type NodeInput } from './helpers.js';

/** Issue 16, item 1: everything a flow can do is bounded; past a bound its conversation ends with the flow's error text. */
const ERROR_TEXT = 'Our assistant got stuck, sorry. Please start again.';
const check = (id: string, pattern: string, onFalse: string): NodeInput =>
  ({ id, type: 'condition', config: { all: [{ op: 'matches', variable: 'code', value: pattern }] }, edges: [{ on: 'true', to: 'done' }, { on: 'false', to: onFalse }] });
const codeForm: NodeInput = { id: 'ask', type: 'form', config: { prompt: 'Code?', formType: 'text', variable: 'code' }, edges: [{ on: 'next', to: 'check' }] };

describe('flow bounds', () => {
  it('ends a flow that loops message → condition → message without waiting, with the flow\'s error text', () => {
    const chat = new Chat(flowOf([
      say('again', 'Checking…', 'check'),
      { id: 'check', type: 'condition', config: { all: [{ op: 'equals', variable: 'never', value: 'x' }] }, edges: [{ on: 'true', to: 'done' }, { on: 'false', to: 'again' }] },
      say('done', 'Done.'),
    ], { settings: { flowErrorText: ERROR_TEXT } }));
    expect(chat.wait).toBe('end');
    expect(chat.lines.at(-1)).toBe(`[notice] ${ERROR_TEXT}`);
    expect(chat.lines.filter((l) => l === 'Checking…')).toHaveLength(MAX_STEPS_PER_CALL / 2);
    expect(endEffect(chat.result)).toMatchObject({ text: null, rating: false });
  });

  it('uses the default error text for a flow without its own (definitions published before the setting)', () => {
    const flow = flowOf([say('a', 'Loop', 'a')]);
    delete (flow.settings as { flowErrorText?: string }).flowErrorText;
    expect(new Chat(flow).lines.at(-1)).toBe(`[notice] ${DEFAULT_FLOW_ERROR_TEXT}`);
  });

  it('cuts a long interpolation at the limit instead of building it', () => {
    const answer = 'x'.repeat(4000);
    const template = '${a}'.repeat(1000);
    const text = interpolate(template, { a: answer });
    expect(text).toHaveLength(MAX_INTERPOLATED_TEXT_LENGTH);
    expect(text.endsWith('…')).toBe(true);
    expect(interpolate('Hi ${a}!', { a: 'Ann' })).toBe('Hi Ann!');
    // Through the engine: the visitor's long answer repeated in a message is cut too.
    const chat = new Chat(flowOf([
      { id: 'ask', type: 'form', config: { prompt: 'Name?', formType: 'text', variable: 'name' }, edges: [{ on: 'next', to: 'echo' }] },
      say('echo', '${name} '.repeat(50)),
    ]));
    chat.send('y'.repeat(3000));
    expect(chat.lines[0]).toHaveLength(MAX_INTERPOLATED_TEXT_LENGTH);
  });

  it('does not split a surrogate pair when it cuts', () => {
    const text = interpolate('${a}', { a: '😀'.repeat(MAX_INTERPOLATED_TEXT_LENGTH) });
    expect(text.length).toBeLessThanOrEqual(MAX_INTERPOLATED_TEXT_LENGTH);
    expect(text.endsWith('😀…')).toBe(true);
  });

  it('cuts a variable set from a web hook answer', () => {
    const chat = new Chat(flowOf([
      { id: 'call', type: 'http', config: { url: 'https://hooks.example.com/x', map: { big: 'big' } }, edges: [{ on: 'next', to: 'done' }] },
      say('done', 'ok'),
    ], { variables: [] }));
    chat.http({ ok: true, body: { big: 'z'.repeat(100_000) } });
    expect(chat.vars.big).toHaveLength(MAX_VARIABLE_LENGTH);
  });

  it('runs the catastrophic-backtracking pattern in linear time', () => {
    const chat = new Chat(flowOf([codeForm, check('check', '^(a+)+$', 'no'), say('done', 'yes'), say('no', 'no')]));
    const started = Date.now();
    chat.send(`${'a'.repeat(34)}!`);
    expect(chat.lines).toEqual(['no']);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('never matches an input longer than the pattern input limit', () => {
    const flow = flowOf([
      { id: 'ask', type: 'form', config: { prompt: 'Code?', formType: 'text', variable: 'code', rules: [{ type: 'regex', pattern: '^a+$', message: 'Only a.' }] }, edges: [{ on: 'next', to: 'done' }] },
      say('done', 'ok'),
    ]);
    const long = new Chat(flow);
    long.send('a'.repeat(MAX_PATTERN_INPUT_LENGTH + 1));
    expect(long.lines).toEqual(['[notice] Only a.', '[form] Code?']);
    const fits = new Chat(flow);
    fits.send('a'.repeat(MAX_PATTERN_INPUT_LENGTH));
    expect(fits.lines).toEqual(['ok']);
  });

  it('ends a flow whose patterns do more work per input than the budget allows', () => {
    // Each test of this ~1000-instruction pattern on a 1000-character answer costs about 1e6 units of
    // the 3e6 budget: the fourth ends the flow long before the step limit would.
    const costly = '[a-z]{990}!';
    expect(compilePattern(costly)).toMatchObject({ ok: true });
    const chat = new Chat(flowOf([codeForm, check('check', costly, 'again'), say('again', 'Checking again…', 'check'), say('done', 'yes')], { settings: { flowErrorText: ERROR_TEXT } }));
    chat.send('b'.repeat(MAX_PATTERN_INPUT_LENGTH));
    expect(chat.lines).toEqual(['Checking again…', 'Checking again…', 'Checking again…', `[notice] ${ERROR_TEXT}`]);
    expect(chat.wait).toBe('end');
  });
});

describe('validation of admin patterns', () => {
  const problemsFor = (pattern: string) => {
    const result = validateFlow({
      start: 'f',
      nodes: [
        { id: 'f', type: 'form', config: { prompt: 'Code?', formType: 'text', variable: 'code', rules: [{ type: 'regex', pattern, message: 'bad' }] }, edges: [{ on: 'next', to: 'c' }] },
        { id: 'c', type: 'condition', config: { all: [{ op: 'matches', variable: 'code', value: pattern }] } },
      ],
    });
    return result.ok ? [] : result.problems;
  };

  it.each([
    ['a lookahead', '^(?=a)a$', /invalid or unsupported Perl syntax/],
    ['a negative lookahead', 'a(?!b)', /invalid or unsupported Perl syntax/],
    ['a lookbehind', '(?<=a)b', /invalid named capture/],
    ['a backreference', '^(a)\\1$', /invalid escape sequence/],
    ['a pattern over the length limit', 'a'.repeat(MAX_PATTERN_LENGTH + 1), /longer than 500 characters/],
    ['a pattern too complex to run', '[a-z]{1000}[a-z]{1000}', /too complex/],
  ])('refuses %s, naming the node', (_what, pattern, reason) => {
    const found = problemsFor(pattern);
    expect(found.map((p) => `${p.code}@${p.nodeId}`)).toEqual(['invalid_regex@f', 'invalid_regex@c']);
    for (const p of found) expect(p.message).toMatch(reason);
    expect(found[0].message).toMatch(/^rule pattern \/.*\/ cannot be used: /);
  });

  it('accepts the patterns RE2 runs, including the one that used to backtrack', () => {
    expect(problemsFor('^(a+)+$')).toEqual([]);
    expect(problemsFor('^ORD-\\d{4}$')).toEqual([]);
  });
});
