import { Context } from '@temporalio/activity';
import { isGrpcServiceError } from '@temporalio/client';
import { defaultPayloadConverter, toPayloads } from '@temporalio/common';
import { conversationWorkflowId } from '../domain/ids.js';
import { assignedSignal, offeredSignal, transferredSignal } from '../domain/contracts/conversation-workflow.js';
import { deskIdOf } from '../domain/contracts/dispatcher-workflow.js';
import type { ActivityDeps } from './deps.js';
import { strandedConversations } from './stranded.js';

/** gRPC status NOT_FOUND: the conversation's workflow has finished (or never existed). */
const GRPC_NOT_FOUND = 5;

/** Signals that tell a conversation the desk now holds it for an agent: undeliverable, they leave a slot taken by nobody. */
const HOLDING = new Set([offeredSignal.name, assignedSignal.name, transferredSignal.name]);

/** Bounds the desk release of a stranded conversation, within this activity's start-to-close timeout (10 s). */
const STRANDED_RELEASE_TIMEOUT_MS = 4_000;

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
export function deskSignalActivities(deps: Pick<ActivityDeps, 'temporal' | 'db' | 'emitter'>) {
  const { temporal } = deps;
  const stranded = strandedConversations({ ...deps, releaseTimeoutMs: STRANDED_RELEASE_TIMEOUT_MS });

  /** False if the conversation's workflow is gone. */
  async function send(s: DeskSignal): Promise<boolean> {
    try {
      await temporal.workflowService.signalWorkflowExecution({
        namespace: temporal.options.namespace,
        workflowExecution: { workflowId: conversationWorkflowId(s.conversationId) },
        signalName: s.signalName,
        input: { payloads: toPayloads(defaultPayloadConverter, s.arg) },
        identity: temporal.options.identity,
        requestId: s.requestId,
      });
      return true;
    } catch (err) {
      // A finished conversation needs no news.
      if (isGrpcServiceError(err) && Number(err.code) === GRPC_NOT_FOUND) return false; // code: grpc-js's enum
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
      const gone: string[] = [];
      await Promise.all([...lanes.values()].map(async (lane) => {
        for (const s of lane) {
          if (!(await send(s)) && HOLDING.has(s.signalName)) gone.push(s.conversationId);
        }
      }));
      // The desk gave an agent (or offered) a conversation whose workflow stopped without closing it (an
      // agent accepting its offer, say): end it and free the slot now rather than at the next reconciliation.
      if (gone.length === 0) return;
      const deskId = deskIdOf(Context.current().info.workflowExecution?.workflowId ?? '');
      for (const conversationId of new Set(gone)) {
        if (deskId === null) break;
        await stranded.endIfWorkflowGone({ deskId, conversationId }).catch((err) => {
          console.warn(`[stranded] ${conversationId}: left to the reconciliation:`, err instanceof Error ? err.message : err);
        });
      }
    },
  };
}
