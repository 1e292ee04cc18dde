import type { MessageBody } from '../../../messages.js';
import { matchChoice } from '../../choice.js';
import { firstBrokenRule } from '../../form-rules.js';
import type { NodeContext, NodeHandler, NodeResult } from '../types.js';

const DEFAULT_RETRY = 'Please choose one of the options.';

function sendForm(ctx: NodeContext<'form'>): void {
  const { config } = ctx.node;
  const body: MessageBody = { kind: 'form', nodeId: ctx.node.id, prompt: ctx.text(config.prompt), formType: config.formType };
  if (config.formType === 'options') body.options = [...(config.options ?? [])];
  ctx.say(body);
}

function invalid(ctx: NodeContext<'form'>, message: string): NodeResult {
  ctx.state.retries += 1;
  if (ctx.state.retries > ctx.node.config.maxRetries) return { kind: 'follow', on: 'fallback' };
  ctx.say({ kind: 'notice', text: ctx.text(message) });
  sendForm(ctx);
  return { kind: 'wait', wait: 'input' };
}

/** The accepted answer, or the notice explaining why it was refused. */
function check(ctx: NodeContext<'form'>, text: string, choiceId: string | undefined): { value: string } | { refused: string } {
  const { config } = ctx.node;
  if (config.formType === 'options') {
    const options = config.options ?? [];
    const index = matchChoice(options.map((option, i) => ({ id: String(i), text: option })), { text, choiceId });
    const option = options[index];
    return option !== undefined ? { value: option } : { refused: config.retryMessage || DEFAULT_RETRY };
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
export const formNode: NodeHandler<'form'> = {
  edges: ['next', 'fallback'],
  enter(ctx) {
    sendForm(ctx);
    return { kind: 'wait', wait: 'input' };
  },
  input(ctx, input) {
    const result = check(ctx, input.text, input.choiceId);
    if ('refused' in result) return invalid(ctx, result.refused);
    ctx.state.vars[ctx.node.config.variable] = result.value;
    ctx.state.retries = 0;
    return { kind: 'follow', on: 'next' };
  },
};
