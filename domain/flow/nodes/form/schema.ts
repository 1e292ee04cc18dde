import type { SchemaKit } from '../kit.js';

/** A form node: asks for one value. Edges: next, `fallback` after the retry limit. */
export const formSchema = ({ z, base, variableName }: SchemaKit) => {
  /** How a text answer is checked, in order; the first broken rule's message is the notice. */
  const rule = z.discriminatedUnion('type', [
    z.object({ type: z.literal('required'), message: z.string() }),
    z.object({ type: z.literal('regex'), pattern: z.string(), message: z.string() }),
    z.object({ type: z.literal('email'), message: z.string() }),
    z.object({ type: z.literal('phone'), message: z.string() }),
    z.object({ type: z.literal('range'), min: z.number().optional(), max: z.number().optional(), message: z.string() }),
    z.object({ type: z.literal('maxLength'), max: z.number().int().positive(), message: z.string() }),
  ]);
  return z.object({
    ...base,
    type: z.literal('form'),
    config: z.object({
      prompt: z.string().min(1),
      formType: z.enum(['text', 'options']),
      options: z.array(z.string().min(1)).optional(),
      variable: variableName,
      /** Notice sent when an answer is not one of the options (options forms); text forms use their rules' messages. */
      retryMessage: z.string().optional(),
      rules: z.array(rule).default([]),
      maxRetries: z.number().int().min(0).max(10).default(2),
    }),
  });
};
