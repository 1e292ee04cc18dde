import { z } from 'zod';

/** Largest value of a PostgreSQL `integer` (int4) column. */
export const INT4_MAX = 2_147_483_647;
/** Largest value of a `bigint`/`bigserial` column read in drizzle's `number` mode (JavaScript's safe range). */
export const INT8_JS_MAX = Number.MAX_SAFE_INTEGER;

/**
 * An integer path or query parameter: only decimal digits, within [min, max] (give the column's range,
 * so a value the database cannot hold is a clear 400, not a 500). Documented as an integer with both bounds.
 */
export function integerParam(name: string, bounds: { min: number; max: number }) {
  const message = `${name} must be a whole number from ${bounds.min} to ${bounds.max}`;
  return z.string({ error: message }).regex(/^\d{1,16}$/, message).transform(Number)
    .pipe(z.number().int(message).min(bounds.min, message).max(bounds.max, message))
    .meta({ type: 'integer', minimum: bounds.min, maximum: bounds.max, pattern: undefined } as Record<string, unknown>);
}
