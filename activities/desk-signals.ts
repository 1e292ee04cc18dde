import { isGrpcServiceError } from '@temporalio/client';
import { defaultPayloadConverter, toPayloads } from '@temporalio/common';
import { conversationWorkflowId } from '../shared/ids.js';
import type { ActivityDeps } from './deps.js';

/** gRPC status NOT_FOUND: the conversation's workflow has finished (or never existed). */
const GRPC_NOT_FOUND = 5;

/** One routing outcome for a conversation, as the dispatcher decided it: a signal name and its argument. */
export interface DeskSignal {
  conversationId: string;
  /** Unique per signal and stable across retries: the server keeps a signal it has seen under this id only once. */
  requestId: string;
  signalName: string;
  arg: unknown;
}

/**
 * Sends the dispatcher's signals to conversations through the frontend. A signal the dispatcher sent
 * itself is a transfer task that has to take the dispatcher's own workflow lock to record delivery; with
 * the desk busy, those tasks waited seconds for it (a visitor assigned at once heard of it 14 s later,
 * docs/performance.md). Signals to one conversation go in order; different conversations in parallel.
 */
export function deskSignalActivities({ temporal }: Pick<ActivityDeps, 'temporal'>) {
  async function send(s: DeskSignal): Promise<void> {
    try {
      await temporal.workflowService.signalWorkflowExecution({
        namespace: temporal.options.namespace,
        workflowExecution: { workflowId: conversationWorkflowId(s.conversationId) },
        signalName: s.signalName,
        input: { payloads: toPayloads(defaultPayloadConverter, s.arg) },
        identity: temporal.options.identity,
        requestId: s.requestId,
      });
    } catch (err) {
      // A finished conversation needs no news.
      if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) return;
      throw err;
    }
  }

  return {
    async signalConversations(input: { signals: DeskSignal[] }): Promise<void> {
      const lanes = new Map<string, DeskSignal[]>();
      for (const s of input.signals) {
        const lane = lanes.get(s.conversationId);
        if (lane) lane.push(s);
        else lanes.set(s.conversationId, [s]);
      }
      await Promise.all([...lanes.values()].map(async (lane) => {
        for (const s of lane) await send(s);
      }));
    },
  };
}
