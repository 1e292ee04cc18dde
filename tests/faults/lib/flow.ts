import type { FlowDefinitionInput } from '../../../domain/flow/schema.js';
import type { Profile } from './profile.js';

export const TEXT = {
  visitorReminder: 'Are you still there? (faults)',
  visitorTimeout: 'Closed: we did not hear back from you. (faults)',
  idleClose: 'Closed after a period of inactivity. (faults)',
  orderRule: 'An order number has 4 digits.',
  flowError: 'The faults desk flow could not go on; please start again. (faults)',
};

/**
 * The poison conversation's input and pattern (issue 16, item 1): on a backtracking engine this pair
 * took the worker down; on RE2 the test is false at once, and the condition loop then hits the
 * engine's step limit, ending that one conversation with the flow-error text.
 */
export const POISON = { pattern: '^(a+)+$', input: `${'a'.repeat(34)}!` };

/**
 * The fault suite's service flow, published as version 2 of flow `default` (channel `web`): every
 * node type (message, menu, form text + options, http, condition, handoff, rating, end), with the
 * timers shortened to seconds.
 *
 * welcome → main menu ─ order → askOrder (text form, 4 digits) → lookup (http) ─ next → isShipped (condition)
 *                     │                                                       │        ├ true  → shipped → rateUs (rating)
 *                     │                                                       │        └ false → notShipped → finish (end)
 *                     │                                                       └ failure → lookupFailed → finish
 *                     ├ agent → topic (options form) → handoff (team support)
 *                     ├ code  → askCode (text form) → checkCode (condition: matches ^(a+)+$) ─ true → codeOk (end)
 *                     │                                   ▲                                   └ false → recheck (condition)
 *                     │                                   └──────────── false ───────────────────────┘  (a step bomb: the
 *                     │                                                  poison answer ends with the flow-error text)
 *                     └ bye   → goodbye (end)
 */
export function faultFlow(webhookUrl: string, profile: Profile): FlowDefinitionInput {
  const t = profile.timers;
  return {
    start: 'welcome',
    variables: ['orderId', 'orderStatus', 'topic', 'code'],
    nodes: [
      { id: 'welcome', type: 'message', config: { text: 'Hello ${visitorName}, this is the faults desk.' }, edges: [{ on: 'next', to: 'main' }] },
      {
        id: 'main', type: 'menu',
        config: {
          header: 'How can we help?',
          items: [{ id: 'order', content: 'Track my order' }, { id: 'agent', content: 'Talk to an agent' }, { id: 'code', content: 'Check my code' }, { id: 'bye', content: 'Nothing, thanks' }],
          retryMessage: 'Please pick one of the options.', maxRetries: 5,
        },
        edges: [{ on: 'order', to: 'askOrder' }, { on: 'agent', to: 'topic' }, { on: 'code', to: 'askCode' }, { on: 'bye', to: 'goodbye' }, { on: 'fallback', to: 'goodbye' }],
      },
      {
        id: 'askOrder', type: 'form',
        config: { prompt: 'Your order number?', formType: 'text', variable: 'orderId', rules: [{ type: 'regex', pattern: '^\\d{4}$', message: TEXT.orderRule }], maxRetries: 3 },
        edges: [{ on: 'next', to: 'lookup' }, { on: 'fallback', to: 'goodbye' }],
      },
      {
        id: 'lookup', type: 'http',
        config: { url: webhookUrl, method: 'POST', send: ['orderId'], map: { orderStatus: 'status' }, timeoutMs: 3000, maxAttempts: 2 },
        edges: [{ on: 'next', to: 'isShipped' }, { on: 'failure', to: 'lookupFailed' }],
      },
      {
        id: 'isShipped', type: 'condition', config: { all: [{ op: 'equals', variable: 'orderStatus', value: 'shipped' }] },
        edges: [{ on: 'true', to: 'shipped' }, { on: 'false', to: 'notShipped' }],
      },
      { id: 'shipped', type: 'message', config: { text: 'Order ${orderId} has shipped.' }, edges: [{ on: 'next', to: 'rateUs' }] },
      { id: 'rateUs', type: 'rating', config: { text: 'Glad we could help with order ${orderId}.' } },
      { id: 'notShipped', type: 'message', config: { text: 'Order ${orderId} is ${orderStatus}.' }, edges: [{ on: 'next', to: 'finish' }] },
      { id: 'lookupFailed', type: 'message', config: { text: 'We could not look up order ${orderId}.' }, edges: [{ on: 'next', to: 'finish' }] },
      { id: 'finish', type: 'end', config: { text: 'Goodbye from the order desk.' } },
      {
        id: 'topic', type: 'form',
        config: { prompt: 'What is it about?', formType: 'options', options: ['Billing', 'Technical'], variable: 'topic', maxRetries: 3 },
        edges: [{ on: 'next', to: 'handoff' }, { on: 'fallback', to: 'handoff' }],
      },
      { id: 'handoff', type: 'handoff', config: { teamId: 'support', connecting: 'Connecting you to an agent about ${topic}…' }, edges: [] },
      { id: 'askCode', type: 'form', config: { prompt: 'Your code?', formType: 'text', variable: 'code' }, edges: [{ on: 'next', to: 'checkCode' }] },
      {
        id: 'checkCode', type: 'condition', config: { all: [{ op: 'matches', variable: 'code', value: POISON.pattern }] },
        edges: [{ on: 'true', to: 'codeOk' }, { on: 'false', to: 'recheck' }],
      },
      { id: 'recheck', type: 'condition', config: { all: [{ op: 'equals', variable: 'code', value: 'override' }] }, edges: [{ on: 'true', to: 'codeOk' }, { on: 'false', to: 'checkCode' }] },
      { id: 'codeOk', type: 'end', config: { text: 'Code ${code} accepted.' } },
      { id: 'goodbye', type: 'end', config: { text: 'Have a nice day.' } },
    ],
    settings: {
      visitorTimeoutSec: t.visitorTimeoutSec,
      visitorReminderSec: t.visitorReminderSec,
      visitorReminderText: TEXT.visitorReminder,
      visitorTimeoutText: TEXT.visitorTimeout,
      assignedIdleSec: t.assignedIdleSec,
      waitingIdleSec: t.waitingIdleSec,
      idleCloseText: TEXT.idleClose,
      queueReminderSec: t.queueReminderSec,
      flowErrorText: TEXT.flowError,
      // Bot-only conversations are invited to rate too: the suite checks that ratings survive kills on every path.
      rating: { enabled: true, validitySec: t.ratingValiditySec, afterAutoClose: true, policy: 'last', agentServedOnly: false },
      workingHours: null,
      // Parley before issue 19 on these paths: the kills disconnect agents and visitors on purpose, and the suite
      // checks that a queued visitor waits (reminded without limit) until served rather than leaving a message.
      offline: { whenNobodyOnline: 'queue', outsideWorkingHours: 'queue', waitLimitSec: null, queueReminderMax: null, queueDropGraceSec: null },
    },
  };
}
