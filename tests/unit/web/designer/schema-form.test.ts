import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { computeSpecs } from '../../../../web/admin/designer/specsSource.js';
import { emptyObject, emptyValue, fieldOf, moveItem, switchVariant, type FieldSpec } from '../../../../web/admin/designer/schemaForm.js';
import { newNode } from '../../../../web/admin/designer/specs.js';

/** The property panel draws each field kind from a zod schema; these are the kinds it knows. */
describe('property panel fields from zod schemas', () => {
  it('text: a string, with its default shown; optional and nullable texts are marked', () => {
    expect(fieldOf(z.string())).toMatchObject({ kind: 'text', localized: false, optional: false, nullable: false });
    expect(fieldOf(z.string().default('Hi'))).toMatchObject({ kind: 'text', defaultValue: 'Hi' });
    expect(fieldOf(z.string().optional())).toMatchObject({ kind: 'text', optional: true });
    expect(fieldOf(z.string().nullable().default(null))).toMatchObject({ kind: 'text', nullable: true, defaultValue: null });
  });

  it('text with per-locale variants: a string or an object of locale → text is one localized text field', () => {
    const localized = z.union([z.string(), z.record(z.string(), z.string())]);
    expect(fieldOf(localized)).toMatchObject({ kind: 'text', localized: true });
  });

  it('number: integer-ness and bounds are read from the checks', () => {
    const spec = fieldOf(z.number().int().min(1).max(10).default(3));
    expect(spec).toMatchObject({ kind: 'number', integer: true, min: 1, max: 10, defaultValue: 3 });
    expect(emptyValue({ ...spec, defaultValue: undefined })).toBe(1);
  });

  it('boolean and enum', () => {
    expect(fieldOf(z.boolean().default(true))).toMatchObject({ kind: 'boolean', defaultValue: true });
    const e = fieldOf(z.enum(['first', 'last']));
    expect(e).toMatchObject({ kind: 'enum', options: ['first', 'last'] });
    expect(emptyValue(e)).toBe('first');
  });

  it('array of objects: a list whose items are objects; items reorder up and down', () => {
    const spec = fieldOf(z.array(z.object({ id: z.string(), content: z.string(), back: z.boolean().optional() })));
    expect(spec.kind).toBe('list');
    const item = (spec as Extract<FieldSpec, { kind: 'list' }>).item;
    expect(item).toMatchObject({ kind: 'object' });
    expect(emptyValue(item)).toEqual({ id: '', content: '' }); // optional `back` stays out
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']); // the first cannot move up
  });

  it('discriminated union (form rules, condition tests): switching the kind keeps the shared fields', () => {
    const spec = fieldOf(z.discriminatedUnion('type', [
      z.object({ type: z.literal('required'), message: z.string() }),
      z.object({ type: z.literal('regex'), pattern: z.string(), message: z.string() }),
    ])) as Extract<FieldSpec, { kind: 'variant' }>;
    expect(spec.kind).toBe('variant');
    expect(spec.variants.map((v) => v.values)).toEqual([['required'], ['regex']]);
    expect(switchVariant(spec, { type: 'required', message: 'Needed' }, 'regex')).toEqual({ type: 'regex', message: 'Needed', pattern: '' });
  });

  it('record: a name → value map (http answer mapping)', () => {
    expect(fieldOf(z.record(z.string(), z.string()).default({}))).toMatchObject({ kind: 'map', value: { kind: 'text' } });
  });

  it('nullable object (working hours): off by default, switched on with its defaults', () => {
    const spec = fieldOf(z.object({ timeZone: z.string().default('UTC'), weekly: z.array(z.string()).default([]) }).nullable().default(null));
    expect(spec).toMatchObject({ kind: 'object', nullable: true, defaultValue: null });
    expect(emptyObject((spec as Extract<FieldSpec, { kind: 'object' }>).fields)).toEqual({ timeZone: 'UTC', weekly: [] });
  });

  it('reads every registered node type and the flow settings (a node type added later needs no designer edit)', () => {
    const specs = computeSpecs();
    expect(specs.types).toEqual(['message', 'menu', 'form', 'condition', 'http', 'handoff', 'rating', 'end']);
    for (const type of specs.types) expect(specs.configs[type]?.kind).toBe('object');
    expect(specs.builtins).toEqual(expect.arrayContaining(['QueuePosition', 'WaitNo', 'agentName']));
    const settings = specs.settings as Extract<FieldSpec, { kind: 'object' }>;
    expect(settings.fields.visitorTimeoutSec).toMatchObject({ kind: 'number', defaultValue: 600 });
    expect(settings.fields.workingHours).toMatchObject({ kind: 'object', nullable: true });
    const handoff = newNode(specs, 'handoff', 'handoff-1', { x: 10.4, y: 20.6 });
    expect(handoff).toMatchObject({ id: 'handoff-1', type: 'handoff', position: { x: 10, y: 21 }, edges: [] });
    expect(handoff.config).toMatchObject({ teamId: null, connecting: { en: 'Connecting you to an agent…', 'zh-CN': '正在为您转接人工客服…' } });
  });
});
