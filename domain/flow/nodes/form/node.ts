import type { MessageBody } from '../../../messages.js';
import type { LocalizedText } from '../../localized-text.js';
import { matchChoice } from '../../answers.js';
import { firstBrokenRule } from './rules.js';
import type { NodeContext, NodeOfSchema, NodeProblem, NodeResult, NodeType } from '../types.js';
import type { SchemaKit } from '../kit.js';
import { DEFAULT_TEXTS } from '../../default-texts.js';
import { nodeTexts } from '../../text-fields.js';

/** A form node: asks for one value. Edges: next, `fallback` after the retry limit. */
export const formSchema = ({ z, base, variableName, text }: SchemaKit) => {
  /** How a text answer is checked, in order; the first broken rule's message is the notice. */
  const rule = z.discriminatedUnion('type', [
    z.object({ type: z.literal('required'), message: text(z.string()) }),
    z.object({ type: z.literal('regex'), pattern: z.string(), message: text(z.string()) }),
    z.object({ type: z.literal('email'), message: text(z.string()) }),
    z.object({ type: z.literal('phone'), message: text(z.string()) }),
    z.object({ type: z.literal('range'), min: z.number().optional(), max: z.number().optional(), message: text(z.string()) }),
    z.object({ type: z.literal('maxLength'), max: z.number().int().positive(), message: text(z.string()) }),
  ]);
  return z.object({
    ...base,
    type: z.literal('form'),
    config: z.object({
      prompt: text(z.string().min(1)),
      formType: z.enum(['text', 'options']),
      /** Per-locale variants show the visitor their own; the variable stores the flow's default-locale one (conditions compare it). */
      options: z.array(text(z.string().min(1))).optional(),
      variable: variableName,
      /** Notice sent when an answer is not one of the options (options forms); text forms use their rules' messages. */
      retryMessage: text(z.string()).optional(),
      rules: z.array(rule).default([]),
      maxRetries: z.number().int().min(0).max(10).default(2),
    }),
  });
};

export type FormNode = NodeOfSchema<typeof formSchema>;

const DEFAULT_RETRY = DEFAULT_TEXTS.choiceRetry;

function sendForm(ctx: NodeContext<FormNode>): void {
  const { config } = ctx.node;
  const body: MessageBody = { kind: 'form', nodeId: ctx.node.id, prompt: ctx.text(config.prompt), formType: config.formType };
  if (config.formType === 'options') body.options = (config.options ?? []).map((option) => ctx.localize(option));
  ctx.say(body);
}

function invalid(ctx: NodeContext<FormNode>, message: LocalizedText): NodeResult {
  ctx.state.retries += 1;
  if (ctx.state.retries > ctx.node.config.maxRetries) return { kind: 'follow', on: 'fallback' };
  ctx.say({ kind: 'notice', text: ctx.text(message) });
  sendForm(ctx);
  return { kind: 'wait', wait: 'input' };
}

/** The accepted answer, or the notice explaining why it was refused. */
function checkAnswer(ctx: NodeContext<FormNode>, text: string, choiceId: string | undefined): { value: string } | { refused: LocalizedText } {
  const { config } = ctx.node;
  if (config.formType === 'options') {
    const options = config.options ?? [];
    const index = matchChoice(options.map((option, i) => ({ id: String(i), text: ctx.localize(option) })), { text, choiceId });
    const option = options[index];
    return option !== undefined ? { value: ctx.canonical(option) } : { refused: ctx.localize(config.retryMessage) || DEFAULT_RETRY };
  }
  const value = text.trim();
  const broken = firstBrokenRule(config.rules, value, ctx.patterns);
  return broken === null ? { value } : { refused: broken.message };
}

/**
 * Asks for a value and stores it in `vars[variable]`, then follows `next`. Options forms accept one of
 * the options (click, exact text or number); text forms check their rules in order. A refused answer
 * gets a notice and the prompt again, up to `maxRetries`, then `fallback`.
 */
export const formNode: NodeType<typeof formSchema> = {
  type: 'form',
  schema: formSchema,
  edges: ['next', 'fallback'],
  texts: nodeTexts,
  sets: (node) => [node.config.variable],
  check(node, env) {
    const problems: NodeProblem[] = [];
    if (node.config.formType === 'options' && (node.config.options ?? []).length === 0) {
      problems.push({ code: 'empty_options', message: 'an options form needs at least one option' });
    }
    for (const rule of node.config.rules) {
      const unusable = rule.type === 'regex' ? env.patternProblem(rule.pattern) : null;
      if (unusable !== null) problems.push({ code: 'invalid_regex', message: `rule pattern ${unusable}` });
      if (rule.type === 'range' && rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) {
        problems.push({ code: 'invalid_range', message: `range rule minimum ${rule.min} is above its maximum ${rule.max}` });
      }
    }
    return problems;
  },
  enter(ctx) {
    sendForm(ctx);
    return { kind: 'wait', wait: 'input' };
  },
  input(ctx, input) {
    const result = checkAnswer(ctx, input.text, input.choiceId);
    if ('refused' in result) return invalid(ctx, result.refused);
    ctx.state.vars[ctx.node.config.variable] = result.value;
    ctx.state.retries = 0;
    return { kind: 'follow', on: 'next' };
  },
};
