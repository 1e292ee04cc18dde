import type { z } from 'zod';
import { LOCALIZED_TEXT_SCHEMAS } from '../../../domain/flow/localized-text-schema.js';

/**
 * What the property panel draws for a zod schema: the node types' schemas (domain/flow/nodes/<type>/) and
 * the flow settings are read here, so a field or node type added later gets its editor without designer
 * edits. A text may be a plain string or, once texts have per-locale variants, an object of locale → text.
 */
interface Common {
  /** May be left out (the key is removed when cleared). */
  optional: boolean;
  /** May be null (e.g. working hours off). */
  nullable: boolean;
  /** The schema's default, shown when the value is missing. */
  defaultValue?: unknown;
}
export type FieldSpec = Common & (
  | { kind: 'text'; localized: boolean }
  | { kind: 'number'; integer: boolean; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; options: string[] }
  | { kind: 'list'; item: FieldSpec }
  | { kind: 'object'; fields: Record<string, FieldSpec> }
  /** A discriminated union (form rules, condition tests): pick a kind, then its fields. */
  | { kind: 'variant'; discriminator: string; variants: { values: string[]; fields: Record<string, FieldSpec> }[] }
  /** A record of string → value (http's variable → answer path map). */
  | { kind: 'map'; value: FieldSpec }
  | { kind: 'unsupported'; zodType: string }
);

interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  entries?: Record<string, string>;
  values?: unknown[];
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  discriminator?: string;
  valueType?: z.ZodType;
  in?: z.ZodType;
  checks?: { _zod: { def: { check: string; value?: number; inclusive?: boolean; format?: string } } }[];
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function numberBounds(def: Def): { integer: boolean; min?: number; max?: number } {
  const out: { integer: boolean; min?: number; max?: number } = { integer: false };
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'number_format' && c.format !== undefined && /int/.test(c.format)) out.integer = true;
    if (c.check === 'greater_than' && typeof c.value === 'number') out.min = c.inclusive ? c.value : c.value + (out.integer ? 1 : 0);
    if (c.check === 'less_than' && typeof c.value === 'number') out.max = c.value;
  }
  return out;
}

/** The values a variant's discriminator takes (a literal or an enum). */
function discriminatorValues(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const def = defOf(schema);
  if (def.type === 'literal') return (def.values ?? []).map(String);
  if (def.type === 'enum') return Object.values(def.entries ?? {});
  return [];
}

/** Reads a zod schema into the field the property panel draws. */
export function fieldOf(schema: z.ZodType, common: Common = { optional: false, nullable: false }): FieldSpec {
  // A flow text: a string, or per-locale variants (domain/flow/localized-text-schema.ts).
  if (LOCALIZED_TEXT_SCHEMAS.has(schema)) return { ...common, kind: 'text', localized: true };
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
      return fieldOf(def.innerType!, { ...common, optional: true });
    case 'nullable':
      return fieldOf(def.innerType!, { ...common, nullable: true });
    case 'default':
    case 'prefault': {
      const value = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
      return fieldOf(def.innerType!, { ...common, defaultValue: common.defaultValue ?? value });
    }
    case 'pipe':
      return fieldOf(def.in!, common);
    case 'string':
      return { ...common, kind: 'text', localized: false };
    case 'number':
      return { ...common, kind: 'number', ...numberBounds(def) };
    case 'boolean':
      return { ...common, kind: 'boolean' };
    case 'enum':
      return { ...common, kind: 'enum', options: Object.values(def.entries ?? {}) };
    case 'literal':
      return { ...common, kind: 'enum', options: (def.values ?? []).map(String) };
    case 'array':
      return { ...common, kind: 'list', item: fieldOf(def.element!) };
    case 'object':
      return { ...common, kind: 'object', fields: Object.fromEntries(Object.entries(def.shape ?? {}).map(([k, v]) => [k, fieldOf(v)])) };
    case 'record':
      return { ...common, kind: 'map', value: fieldOf(def.valueType!) };
    case 'union': {
      const options = def.options ?? [];
      if (def.discriminator !== undefined) {
        const disc = def.discriminator;
        return {
          ...common, kind: 'variant', discriminator: disc,
          variants: options.map((option) => {
            const shape = defOf(option).shape ?? {};
            const fields = Object.fromEntries(Object.entries(shape).filter(([k]) => k !== disc).map(([k, v]) => [k, fieldOf(v)]));
            return { values: discriminatorValues(shape[disc]), fields };
          }),
        };
      }
      // A text that may have per-locale variants: a string, or an object of locale → string.
      const kinds = options.map((o) => fieldOf(o));
      if (kinds.some((k) => k.kind === 'text') && kinds.every((k) => k.kind === 'text' || k.kind === 'map' || k.kind === 'object')) {
        return { ...common, kind: 'text', localized: true };
      }
      return { ...common, kind: 'unsupported', zodType: 'union' };
    }
    default:
      return { ...common, kind: 'unsupported', zodType: def.type };
  }
}

/** A starting value for a field: its default, else an empty value of its kind (optional fields stay out). */
export function emptyValue(spec: FieldSpec): unknown {
  if (spec.defaultValue !== undefined) return structuredClone(spec.defaultValue);
  if (spec.nullable) return null;
  switch (spec.kind) {
    case 'text': return '';
    case 'number': return spec.min ?? 0;
    case 'boolean': return false;
    case 'enum': return spec.options[0] ?? '';
    case 'list': return [];
    case 'map': return {};
    case 'object': return emptyObject(spec.fields);
    case 'variant': {
      const first = spec.variants[0];
      return first ? { [spec.discriminator]: first.values[0], ...emptyObject(first.fields) } : {};
    }
    default: return undefined;
  }
}

export function emptyObject(fields: Record<string, FieldSpec>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(fields)) {
    if (spec.optional && spec.defaultValue === undefined) continue;
    out[key] = emptyValue(spec);
  }
  return out;
}

/** Switches a variant value to the variant holding `value`, keeping the fields both have. */
export function switchVariant(spec: Extract<FieldSpec, { kind: 'variant' }>, current: Record<string, unknown>, value: string): Record<string, unknown> {
  const variant = spec.variants.find((v) => v.values.includes(value));
  if (!variant) return current;
  const next: Record<string, unknown> = { [spec.discriminator]: value };
  for (const [key, field] of Object.entries(variant.fields)) {
    const kept = current[key];
    const fits = kept !== undefined && (field.kind !== 'number' || typeof kept === 'number') && (field.kind !== 'text' || typeof kept === 'string' || typeof kept === 'object');
    if (fits) next[key] = kept;
    else if (!(field.optional && field.defaultValue === undefined)) next[key] = emptyValue(field);
  }
  return next;
}

/** Moves a list item one place up (-1) or down (+1). */
export function moveItem<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= list.length) return [...list];
  const next = [...list];
  [next[index], next[to]] = [next[to], next[index]];
  return next;
}
