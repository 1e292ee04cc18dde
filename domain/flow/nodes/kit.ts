import { z } from 'zod';
import { MenuItemSchema } from '../../messages.js';
import { localizedText } from '../localized-text-schema.js';

/** Where a node is drawn in the designer. */
const PositionSchema = z.object({ x: z.number(), y: z.number() });

/** Outgoing edge. `on` names the outcome that follows it (e.g. a menu item id, `next`, `fallback`, `failure`). */
export const EdgeSchema = z.object({ on: z.string().min(1).max(64), to: z.string().min(1).max(64) });
export type Edge = z.infer<typeof EdgeSchema>;

/** A flow variable name, usable as `${name}` in texts. `__proto__` is refused: vars are plain objects. */
export const VariableNameSchema = z.string().regex(/^(?!__proto__$)[A-Za-z_][A-Za-z0-9_]*$/, 'variable name: letter or _, then letters, digits or _');

/** The fields every node has besides its `type` and `config`. */
const base = { id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'node id: letters, digits, _ or -'), position: PositionSchema.optional(), edges: z.array(EdgeSchema).default([]) };

/**
 * What a node type builds its zod schema from. Handed to each node's `schema` by domain/flow/schema.ts,
 * so node modules import zod as types only and the engine (workflow code) never loads zod.
 */
export const schemaKit = {
  // The builders node schemas use, not the `z` namespace itself: a namespace passed as a value makes a bundler
  // keep all of zod (its locales, JSON Schema, …), and the admin console would load 350 kB more.
  z: {
    array: z.array, boolean: z.boolean, discriminatedUnion: z.discriminatedUnion, enum: z.enum, literal: z.literal,
    number: z.number, object: z.object, record: z.record, string: z.string, url: z.url,
  },
  base, variableName: VariableNameSchema, menuItem: MenuItemSchema,
  /** A text the visitor reads: `base` as a plain string or per-locale variants (issue 19; localized-text.ts). */
  text: localizedText,
};
export type SchemaKit = typeof schemaKit;
