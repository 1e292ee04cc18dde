import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../locales.js';
import { MAX_TEXT_LENGTH } from '../messages.js';
import { VariableNameSchema } from './nodes/kit.js';

/**
 * A test scenario of a flow (issue 20): the visitor's inputs recorded in the designer's preview and the
 * texts the visitor read after each one. Saved with the flow, run again in the preview, and run on publish
 * with the engine (domain/flow/scenarios.ts): a scenario whose texts changed blocks publishing.
 */

/** What the visitor (or, for a web hook, the admin's stub) did at one step. */
export const ScenarioInputSchema = z.discriminatedUnion('kind', [
  /** An answer to the menu or form the flow waits on (`choiceId`: the menu item clicked). */
  z.object({ kind: z.literal('answer'), text: z.string().max(MAX_TEXT_LENGTH), choiceId: z.string().min(1).max(64).optional() }).strict(),
  /** The http node's answer as the admin stubbed it: never a real call. */
  z.object({ kind: z.literal('http'), status: z.number().int().min(100).max(599), body: z.string().max(65_536) }).strict(),
  /** No agent could take the hand-off (the flow follows its `failed` edge). */
  z.object({ kind: z.literal('handoffFailed') }).strict(),
]);
export type ScenarioInput = z.infer<typeof ScenarioInputSchema>;

const ExpectedTextsSchema = z.array(z.string().max(8000)).max(50);

export const ScenarioStepSchema = z.object({ input: ScenarioInputSchema, expect: ExpectedTextsSchema }).strict();
export type ScenarioStep = z.infer<typeof ScenarioStepSchema>;

export const MAX_SCENARIO_STEPS = 100;
export const MAX_SCENARIOS_PER_FLOW = 50;

/** How the scenario runs: the visitor's locale and variables, the moment it was recorded (working hours), its steps. */
export const ScenarioScriptSchema = z.object({
  locale: z.enum(SUPPORTED_LOCALES, { error: `locale must be one of ${SUPPORTED_LOCALES.join(', ')}` }).nullable(),
  /** The clock the flow reads (working hours): the moment it was recorded, so it runs the same on every publish. */
  at: z.iso.datetime({ error: 'at: an ISO 8601 date and time in UTC, e.g. 2026-01-05T10:00:00Z' }),
  vars: z.record(VariableNameSchema, z.string().max(1000)).refine((v) => Object.keys(v).length <= 20, 'vars: at most 20 variables'),
  /** The texts said when the flow starts. */
  start: ExpectedTextsSchema,
  steps: z.array(ScenarioStepSchema).max(MAX_SCENARIO_STEPS),
}).strict();
export type ScenarioScript = z.infer<typeof ScenarioScriptSchema>;

export const ScenarioNameSchema = z.string().trim().min(1, 'name must not be empty').max(100, 'name: at most 100 characters');

/** A scenario as published with a version (the draft's scenarios are rows with ids). */
export const PublishedScenarioSchema = ScenarioScriptSchema.extend({ name: z.string() });
export type PublishedScenario = z.infer<typeof PublishedScenarioSchema>;
