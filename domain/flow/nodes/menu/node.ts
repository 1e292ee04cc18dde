import type { MessageBody } from '../../../messages.js';
import { matchChoice } from '../../answers.js';
import type { NodeContext, NodeOfSchema, NodeProblem, NodeResult, NodeType } from '../types.js';
import type { SchemaKit } from '../kit.js';
import { DEFAULT_TEXTS } from '../../default-texts.js';
import { nodeTexts } from '../../text-fields.js';

/** A menu node. Edges: one per item id, `fallback` after the retry limit. */
export const menuSchema = ({ z, base, menuItem, text }: SchemaKit) => z.object({
  ...base,
  type: z.literal('menu'),
  config: z.object({
    header: text(z.string()),
    items: z.array(menuItem.extend({
      content: text(menuItem.shape.content),
      description: text(menuItem.shape.description.unwrap()).optional(),
      back: z.boolean().optional(),
    })),
    tail: text(z.string()).optional(),
    retryMessage: text(z.string()).default(DEFAULT_TEXTS.choiceRetry),
    maxRetries: z.number().int().min(0).max(10).default(2),
  }),
});

export type MenuNode = NodeOfSchema<typeof menuSchema>;

const DEFAULT_RETRY = DEFAULT_TEXTS.choiceRetry;

function sendMenu(ctx: NodeContext<MenuNode>): void {
  const { config } = ctx.node;
  const body: MessageBody = {
    kind: 'menu',
    nodeId: ctx.node.id,
    header: ctx.text(config.header),
    items: config.items.map((item) =>
      item.description === undefined
        ? { id: item.id, content: ctx.localize(item.content) }
        : { id: item.id, content: ctx.localize(item.content), description: ctx.localize(item.description) },
    ),
  };
  if (config.tail !== undefined) body.tail = ctx.text(config.tail);
  ctx.say(body);
}

/** Records the menu in the visitor's path; revisiting a menu drops what was visited after it. */
function remember(ctx: NodeContext<MenuNode>): void {
  const stack = ctx.state.menuStack;
  const at = stack.lastIndexOf(ctx.node.id);
  if (at >= 0) stack.splice(at + 1);
  else stack.push(ctx.node.id);
}

function goBack(ctx: NodeContext<MenuNode>, itemId: string): NodeResult {
  const stack = ctx.state.menuStack;
  const at = stack.lastIndexOf(ctx.node.id);
  const previous = at > 0 ? stack[at - 1] : undefined;
  if (previous !== undefined) {
    stack.splice(at);
    return { kind: 'goto', nodeId: previous };
  }
  // Nothing to go back to: a wired back item behaves like any item, otherwise show this menu again.
  if (ctx.node.edges.some((e) => e.on === itemId)) return { kind: 'follow', on: itemId };
  sendMenu(ctx);
  return { kind: 'wait', wait: 'input' };
}

/**
 * Shows a menu and waits. The visitor picks an item by click, exact text or number; the item id is
 * the edge followed. A `back` item returns to the previous menu. Anything else gets the retry notice
 * and the menu again, up to `maxRetries`, then `fallback`.
 */
export const menuNode: NodeType<typeof menuSchema> = {
  type: 'menu',
  schema: menuSchema,
  edges: ['fallback'],
  nodeEdges: (node) => node.config.items.map((item) => item.id),
  texts: nodeTexts,
  check(node) {
    const problems: NodeProblem[] = [];
    const items = node.config.items;
    if (items.length === 0) problems.push({ code: 'empty_menu', message: 'the menu has no items' });
    const itemIds = new Set<string>();
    for (const item of items) {
      if (itemIds.has(item.id)) problems.push({ code: 'duplicate_item_id', message: `more than one item has the id "${item.id}"` });
      itemIds.add(item.id);
      if (item.id === 'fallback') problems.push({ code: 'reserved_item_id', message: 'an item id cannot be "fallback": that edge is taken after too many invalid answers' });
    }
    return problems;
  },
  enter(ctx) {
    remember(ctx);
    sendMenu(ctx);
    return { kind: 'wait', wait: 'input' };
  },
  input(ctx, input) {
    const { items, retryMessage, maxRetries } = ctx.node.config;
    const index = matchChoice(items.map((item) => ({ id: item.id, text: ctx.localize(item.content) })), input);
    const item = items[index];
    if (item !== undefined) {
      ctx.state.retries = 0;
      return item.back === true ? goBack(ctx, item.id) : { kind: 'follow', on: item.id };
    }
    ctx.state.retries += 1;
    if (ctx.state.retries > maxRetries) return { kind: 'follow', on: 'fallback' };
    ctx.say({ kind: 'notice', text: ctx.text(ctx.localize(retryMessage) || DEFAULT_RETRY) });
    sendMenu(ctx);
    return { kind: 'wait', wait: 'input' };
  },
};
