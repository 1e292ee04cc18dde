import { ref } from 'vue';
import { defineStore } from 'pinia';
import { useSocketStore } from './socket';
import { useConversationsStore } from './conversations';
import { useNoticesStore } from './notices';
import { ApiError, errorMessage } from '../../common/errors';
import { WORKBENCH_TEXTS } from '../../common/labels';
import type { OfferEvent, ServerToClientEvents } from '../../../domain/contracts/events';

export type OfferRevoked = Parameters<ServerToClientEvents['offer:revoked']>[0];

/** Chats the dispatcher offers this agent, each until it is accepted, declined, expires or goes elsewhere. */
export const useOffersStore = defineStore('agent-offers', () => {
  const socket = useSocketStore();
  const conversations = useConversationsStore();
  const notices = useNoticesStore();

  const offers = ref<OfferEvent[]>([]);
  const busyOffers = ref<Record<string, boolean>>({});

  function without(conversationId: string) {
    offers.value = offers.value.filter((o) => o.conversationId !== conversationId);
    notices.clearAbout(`offer:${conversationId}`);
  }

  function offered(o: OfferEvent) {
    const known = offers.value.some((x) => x.conversationId === o.conversationId);
    offers.value = [...offers.value.filter((x) => x.conversationId !== o.conversationId), o];
    // Shown again after a reconnect: no second toast.
    if (!known) notices.notify(WORKBENCH_TEXTS.offered(o.visitorName), 'info', `offer:${o.conversationId}`);
  }

  function revoked(r: OfferRevoked) {
    const offer = offers.value.find((x) => x.conversationId === r.conversationId);
    without(r.conversationId);
    if (offer) notices.notify(WORKBENCH_TEXTS.offerRevoked(offer.visitorName, r.reason), 'warning');
  }

  async function accept(conversationId: string) {
    busyOffers.value[conversationId] = true;
    try {
      await socket.emit('agent:accept', { conversationId });
      without(conversationId);
      // The accept's answer comes once the conversation is recorded as ours, so it can be read now.
      await conversations.track(conversationId);
      conversations.select(conversationId);
    } catch (err) {
      notices.notify(WORKBENCH_TEXTS.couldNotAccept(errorMessage(err)), 'error');
      if (err instanceof ApiError && (err.code === 'conflict' || err.code === 'not_found')) without(conversationId);
    } finally {
      delete busyOffers.value[conversationId];
    }
  }

  async function reject(conversationId: string) {
    busyOffers.value[conversationId] = true;
    try {
      await socket.emit('agent:reject', { conversationId });
      without(conversationId);
    } catch (err) {
      notices.notify(WORKBENCH_TEXTS.couldNotDecline(errorMessage(err)), 'error');
    } finally {
      delete busyOffers.value[conversationId];
    }
  }

  function reset() {
    offers.value = [];
  }

  return { offers, busyOffers, offered, revoked, accept, reject, reset };
});
