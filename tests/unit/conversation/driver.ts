import { FlowDefinitionSchema, type FlowDefinition, type FlowDefinitionInput } from '../../../domain/flow/schema.js';
import type { MessageBody } from '../../../domain/messages.js';
import type { CommandAnswer, ConversationCommand, ConversationEvent } from '../../../domain/conversation/events.js';
import { Conversation } from '../../../domain/conversation/machine.js';
import type { ConversationInput } from '../../../domain/conversation/state.js';

export const T0 = Date.parse('2025-03-05T10:00:00Z');

export function inputOf(flow: FlowDefinitionInput | FlowDefinition): ConversationInput {
  return {
    conversationId: 'c1', deskId: 'desk', visitorId: 'v1', visitorName: 'Ada', channel: 'web', vip: false,
    flow: { id: 'f', version: 1, definition: FlowDefinitionSchema.parse(flow) },
  };
}

/** Answers to the machine's reads; defaults: web hooks fail, nobody told the position, no chat. */
export interface Answers {
  webhook?: (c: Extract<ConversationCommand, { type: 'callWebhook' }>) => CommandAnswer;
  standing?: () => CommandAnswer;
  chat?: (now: number) => CommandAnswer;
}

/**
 * Drives the state machine like the workflow does: events at a clock, commands recorded in order, reads
 * answered at once (their answers handled before the next command).
 */
export class Driver {
  readonly conversation: Conversation;
  readonly commands: ConversationCommand[] = [];
  now = T0;
  sleptAt = T0;

  constructor(input: ConversationInput, private readonly answers: Answers = {}) {
    this.conversation = new Conversation(input, T0);
  }

  get s() {
    return this.conversation.s;
  }

  /** Handles `event` now; returns the commands it (and the answers to its reads) produced. */
  send(event: ConversationEvent): ConversationCommand[] {
    const before = this.commands.length;
    this.run(this.conversation.handle(event, { now: this.now, sleptAt: this.sleptAt }));
    return this.commands.slice(before);
  }

  /** Moves the clock to the armed timer's deadline and fires it; false when no timer is armed. */
  fireTimer(): boolean {
    const timer = this.conversation.timer();
    if (!timer) return false;
    this.sleptAt = this.now;
    this.now = Math.max(this.now, timer.at);
    this.send({ type: 'timerFired' });
    return true;
  }

  private run(commands: ConversationCommand[]) {
    for (const c of commands) {
      this.commands.push(c);
      const answer = this.answer(c);
      if (answer) this.run(this.conversation.handle(answer, { now: this.now, sleptAt: this.sleptAt }));
    }
  }

  private answer(c: ConversationCommand): CommandAnswer | null {
    switch (c.type) {
      case 'callWebhook': return this.answers.webhook?.(c) ?? { type: 'webhookResult', outcome: { ok: false, error: 'down' } };
      case 'readQueueStanding': return this.answers.standing?.() ?? { type: 'queueStanding', position: null, lastNoticeAt: null };
      case 'readChat': return this.answers.chat?.(this.now) ?? { type: 'chatRead', chat: { visitorAt: null, agentAt: null }, readAt: this.now };
      default: return null;
    }
  }
}

/** Every message body the commands say, in order. */
export const bodiesOf = (commands: ConversationCommand[]): MessageBody[] =>
  commands.flatMap((c) => (c.type === 'say' ? c.messages.map((m) => m.body) : []));

export const kindsOf = (commands: ConversationCommand[]): string[] =>
  commands.map((c) => (c.type === 'say' ? `say:${c.messages.map((m) => m.body.kind).join(',')}` : c.type));
