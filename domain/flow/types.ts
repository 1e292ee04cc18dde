import type { MessageBody } from '../messages.js';

/**
 * The flow engine is pure: given the flow, its state and an input, it returns the next state and
 * the effects the conversation workflow must carry out. No I/O, no clocks (time is passed in),
 * so it runs unchanged inside workflow code and in unit tests.
 */
export interface FlowState {
  /** Node the flow is waiting on (menu/form/http/handoff), or null when finished. */
  nodeId: string | null;
  vars: Record<string, string>;
  /** Menu node ids visited, most recent last, for the "back" item. */
  menuStack: string[];
  /** Invalid answers given at the current node. */
  retries: number;
  /** Nodes executed so far; guards against cycles without input. */
  steps: number;
}

export interface HttpRequestSpec {
  nodeId: string;
  url: string;
  method: 'GET' | 'POST';
  payload: Record<string, string>;
  timeoutMs: number;
  maxAttempts: number;
}

export type FlowEffect =
  | { type: 'say'; body: MessageBody }
  | { type: 'http'; request: HttpRequestSpec }
  | {
    type: 'handoff'; nodeId: string; teamId: string | null; connecting: string; connected: string; failed: string;
    /** Issue 19: the node's own policy when nobody can answer (else the flow's settings.offline). */
    whenNobodyAnswers?: 'queue' | 'message' | 'fail';
  }
  | { type: 'end'; nodeId: string; text: string | null; rating: boolean };

/** What the flow is waiting for after a step. */
export type FlowWait = 'input' | 'http' | 'handoff' | 'end';

export interface StepResult {
  state: FlowState;
  effects: FlowEffect[];
  wait: FlowWait;
}

export interface VisitorInput {
  text: string;
  choiceId?: string;
}

export type HttpOutcome = { ok: true; body: unknown } | { ok: false; error: string };
