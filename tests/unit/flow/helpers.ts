import { FlowDefinitionSchema, type FlowDefinition, type FlowDefinitionInput, type FlowNode } from '../../../domain/flow/schema.js';
import type { MessageBody } from '../../../domain/messages.js';
import { handleVisitorInput, resumeAfterHandoffFailure, resumeAfterHttp, startFlow } from '../../../domain/flow/engine.js';
import type { FlowEffect, HttpOutcome, StepResult } from '../../../domain/flow/types.js';

/** Wednesday 5 March 2025, 10:00 UTC. */
export const NOW = new Date('2025-03-05T10:00:00Z');

export type NodeInput = FlowDefinitionInput['nodes'][number];

export function flowOf(nodes: NodeInput[], extra: Partial<FlowDefinitionInput> = {}): FlowDefinition {
  return FlowDefinitionSchema.parse({ start: nodes[0]?.id ?? 'start', nodes, ...extra });
}

export function say(id: string, text: string, next?: string): NodeInput {
  return { id, type: 'message', config: { text }, edges: next === undefined ? [] : [{ on: 'next', to: next }] };
}

export function end(id: string, text?: string): NodeInput {
  return { id, type: 'end', config: text === undefined ? {} : { text } };
}

/** The message bodies a step shows the visitor. */
export function bodies(result: StepResult): MessageBody[] {
  return result.effects.flatMap((e) => (e.type === 'say' ? [e.body] : []));
}

/** What the visitor reads, one line per message: text/notice as is, menus and forms by their header/prompt. */
export function lines(result: StepResult): string[] {
  return bodies(result).map((body) => {
    switch (body.kind) {
      case 'menu':
        return `[menu] ${body.header} | ${body.items.map((i) => i.content).join(' / ')}${body.tail === undefined ? '' : ` | ${body.tail}`}`;
      case 'form':
        return `[form] ${body.prompt}${body.options === undefined ? '' : ` | ${body.options.join(' / ')}`}`;
      case 'notice':
        return `[notice] ${body.text}`;
      case 'text':
        return body.text;
      default:
        return `[${body.kind}]`;
    }
  });
}

export function endEffect(result: StepResult): Extract<FlowEffect, { type: 'end' }> | undefined {
  return result.effects.find((e): e is Extract<FlowEffect, { type: 'end' }> => e.type === 'end');
}

export function effectOf<T extends FlowEffect['type']>(result: StepResult, type: T): Extract<FlowEffect, { type: T }> | undefined {
  return result.effects.find((e): e is Extract<FlowEffect, { type: T }> => e.type === type);
}

/** Drives a flow the way the conversation workflow does. */
export class Chat {
  result: StepResult;
  constructor(
    readonly flow: FlowDefinition,
    vars: Record<string, string> = { visitorName: 'Ann' },
    readonly now: Date = NOW,
  ) {
    this.result = startFlow(flow, vars, now);
  }
  send(text: string, choiceId?: string): StepResult {
    this.result = handleVisitorInput(this.flow, this.result.state, choiceId === undefined ? { text } : { text, choiceId }, this.now);
    return this.result;
  }
  http(outcome: HttpOutcome): StepResult {
    this.result = resumeAfterHttp(this.flow, this.result.state, outcome, this.now);
    return this.result;
  }
  handoffFailed(): StepResult {
    this.result = resumeAfterHandoffFailure(this.flow, this.result.state, this.now);
    return this.result;
  }
  get lines(): string[] {
    return lines(this.result);
  }
  get at(): string | null {
    return this.result.state.nodeId;
  }
  get wait() {
    return this.result.wait;
  }
  get vars() {
    return this.result.state.vars;
  }
}

export type { FlowNode };
