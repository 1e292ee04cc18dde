import { ref } from 'vue';
import { defineStore } from 'pinia';
import { useSocketStore } from './socket';
import { useConversationsStore } from './conversations';
import { useNoticesStore } from './notices';
import { ApiError, errorMessage } from '../../common/errors';
import { WORKBENCH_TEXTS } from '../../common/labels';
import type { TransferRequestEvent, TransferResultEvent } from '../../../domain/contracts/events';
import type { TransferAnswer } from '../../common/types';

export type TransferTarget = { toAgentId: string } | { toTeamId: string };

/** A transfer this agent asked for, per conversation: what the server answered, then how it ended. */
export interface OutgoingTransfer {
  transferId: string;
  conversationId: string;
  outcome: TransferAnswer['outcome'] | TransferResultEvent['outcome'];
  /** Who or where it goes, as the agent chose it (a name for display). */
  targetLabel: string;
  toAgentName: string | null;
  expiresAt: string | null;
}

/**
 * The `agent:transfer` ack carries the dispatcher's answer (docs/socket-events.md), but shared/events.ts types it
 * as `{ transferId }` only; read the rest defensively.
 */
function transferAnswerOf(ack: { transferId: string } & Record<string, unknown>): TransferAnswer {
  const outcome = ack.outcome === 'moved' || ack.outcome === 'queued' || ack.outcome === 'pending' ? ack.outcome : 'pending';
  return {
    transferId: ack.transferId,
    outcome,
    toAgentId: typeof ack.toAgentId === 'string' ? ack.toAgentId : null,
    expiresAt: typeof ack.expiresAt === 'string' ? ack.expiresAt : null,
  };
}

/**
 * Transfers both ways. Outgoing, per conversation: asked (ack: pending | moved | queued), then the result
 * (accepted | rejected | expired | cancelled, or moved/queued at once); a result may overtake its ack.
 * Incoming: requests with a countdown, answered by accept or decline, then their result.
 */
export const useTransfersStore = defineStore('agent-transfers', () => {
  const socket = useSocketStore();
  const conversations = useConversationsStore();
  const notices = useNoticesStore();

  const transferRequests = ref<TransferRequestEvent[]>([]);
  const answeringTransfers = ref<Record<string, boolean>>({});
  /** Transfers I answered, so their result can be told from my point of view. */
  const answeredTransfers = new Map<string, boolean>();
  const outgoing = ref<Record<string, OutgoingTransfer>>({});
  /** Conversations with an `agent:transfer` not yet acknowledged, and results that overtook their ack. */
  const requesting = new Set<string>();
  const earlyResults = new Map<string, TransferResultEvent>();

  function withoutRequest(transferId: string) {
    transferRequests.value = transferRequests.value.filter((t) => t.transferId !== transferId);
    notices.clearAbout(`transfer:${transferId}`);
  }

  function requested(t: TransferRequestEvent) {
    const known = transferRequests.value.some((x) => x.transferId === t.transferId);
    transferRequests.value = [...transferRequests.value.filter((x) => x.transferId !== t.transferId), t];
    if (!known) notices.notify(WORKBENCH_TEXTS.transferIncoming(t.fromAgentName), 'info', `transfer:${t.transferId}`);
  }

  /** Conversations back with us (e.g. a team transfer that came round again): an old transfer outcome no longer applies. */
  function heldChanged(now: string[], previous: string[]) {
    for (const id of now) {
      if (outgoing.value[id] && outgoing.value[id].outcome !== 'pending' && !previous.includes(id)) delete outgoing.value[id];
    }
  }

  /** Both sides of a transfer get its result; tell each what it means for them. */
  function resultReceived(t: TransferResultEvent) {
    const incoming = transferRequests.value.find((x) => x.transferId === t.transferId);
    withoutRequest(t.transferId);
    delete answeringTransfers.value[t.transferId];
    const mine = outgoing.value[t.conversationId];
    if (requesting.has(t.conversationId) && mine?.transferId !== t.transferId) {
      earlyResults.set(t.conversationId, t);
      return;
    }
    if (mine && mine.transferId === t.transferId) {
      outgoing.value[t.conversationId] = { ...mine, outcome: t.outcome, toAgentName: t.toAgentName ?? mine.toAgentName };
      const handedOver = t.outcome === 'accepted' || t.outcome === 'moved' || t.outcome === 'queued';
      if (handedOver) conversations.release(t.conversationId);
      const parties = {
        who: t.toAgentName ?? mine.targetLabel,
        visitor: conversations.visitorOf(t.conversationId),
        team: t.toTeamId ?? WORKBENCH_TEXTS.someTeam,
      };
      notices.notify(WORKBENCH_TEXTS.transferOutgoing[t.outcome](parties), handedOver ? 'info' : 'warning');
      return;
    }
    if (incoming || answeredTransfers.has(t.transferId)) {
      answeredTransfers.delete(t.transferId);
      const from = incoming?.fromAgentName ?? WORKBENCH_TEXTS.someColleague;
      const texts = WORKBENCH_TEXTS.transferIncomingResult;
      if (t.outcome === 'accepted' || t.outcome === 'moved') {
        notices.notify(texts.tookOver(from));
        void conversations.open(t.conversationId);
      } else if (t.outcome === 'rejected') {
        notices.notify(texts.declined(from));
      } else if (t.outcome === 'expired') {
        notices.notify(texts.expired(from), 'warning');
      } else if (t.outcome === 'cancelled') {
        notices.notify(texts.withdrawn(from), 'warning');
      }
      return;
    }
    if (t.outcome === 'moved') {
      // Without confirmation the target only learns from the result.
      notices.notify(WORKBENCH_TEXTS.transferredToYou);
      void conversations.open(t.conversationId);
    }
  }

  /**
   * Ask for a transfer. `targetLabel` names the target for display. The answer says whether it now waits for the
   * target (pending), happened at once (moved, no confirmation on this desk) or went to a team queue (queued).
   */
  async function transfer(conversationId: string, target: TransferTarget, targetLabel: string, note?: string): Promise<TransferAnswer> {
    requesting.add(conversationId);
    earlyResults.delete(conversationId);
    let answer: TransferAnswer;
    try {
      const ack = await socket.emit('agent:transfer', { conversationId, ...target, ...(note ? { note } : {}) });
      answer = transferAnswerOf(ack);
    } finally {
      requesting.delete(conversationId);
    }
    outgoing.value[conversationId] = {
      transferId: answer.transferId, conversationId, outcome: answer.outcome, targetLabel,
      toAgentName: 'toAgentId' in target ? targetLabel : null, expiresAt: answer.expiresAt,
    };
    if (answer.outcome === 'pending') notices.notify(WORKBENCH_TEXTS.transferWaiting(targetLabel), 'info', `transfer:${answer.transferId}`);
    // The result can overtake the ack (moved, queued, or a very quick answer): apply it now.
    const early = earlyResults.get(conversationId);
    earlyResults.delete(conversationId);
    if (early && early.transferId === answer.transferId) resultReceived(early);
    return answer;
  }

  function clearOutgoing(conversationId: string) {
    delete outgoing.value[conversationId];
  }

  async function answerTransfer(transferId: string, acceptIt: boolean) {
    if (answeringTransfers.value[transferId]) return;
    answeringTransfers.value[transferId] = true;
    const request = transferRequests.value.find((t) => t.transferId === transferId);
    answeredTransfers.set(transferId, acceptIt);
    try {
      await socket.emit('agent:transfer-answer', { transferId, accept: acceptIt });
      withoutRequest(transferId);
      if (acceptIt && request) void conversations.open(request.conversationId);
    } catch (err) {
      answeredTransfers.delete(transferId);
      notices.notify(WORKBENCH_TEXTS.couldNotAnswerTransfer(errorMessage(err)), 'error');
      // Gone on the server (expired, withdrawn): nothing left to answer.
      if (err instanceof ApiError && (err.code === 'conflict' || err.code === 'not_found' || err.code === 'bad_request')) {
        withoutRequest(transferId);
      }
    } finally {
      delete answeringTransfers.value[transferId];
    }
  }

  function reset() {
    transferRequests.value = [];
    answeringTransfers.value = {};
    answeredTransfers.clear();
    outgoing.value = {};
    requesting.clear();
    earlyResults.clear();
  }

  return {
    transferRequests, answeringTransfers, outgoing,
    requested, heldChanged, resultReceived, transfer, clearOutgoing, answerTransfer, reset,
  };
});
