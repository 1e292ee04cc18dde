import { proxyActivities, proxyLocalActivities, upsertSearchAttributes, uuid4 } from '@temporalio/workflow';
import type { ParleyActivities } from '../../activities/index.js';
import type { CommandAnswer, ConversationCommand } from '../../domain/conversation/events.js';
import type { ConversationInput } from '../../domain/conversation/state.js';
import type { HttpOutcome, HttpRequestSpec } from '../../domain/flow/types.js';
import { SA } from '../../domain/search-attributes.js';

const local = proxyLocalActivities<ParleyActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
});
const remote = proxyActivities<ParleyActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', maximumInterval: '30s' },
});

/** Carries out one command of the conversation's state machine; a read answers with an event. */
export async function perform(input: ConversationInput, c: ConversationCommand): Promise<CommandAnswer | null> {
  const { conversationId, deskId } = input;
  switch (c.type) {
    case 'say': {
      const messages = c.messages.map((m) => ({ id: uuid4(), clientId: m.clientId, sender: c.sender, body: m.body }));
      await local.postMessages({ conversationId, messages, ...(c.projection ? { projection: c.projection } : {}) });
      return null;
    }
    case 'project':
      if (c.index) {
        upsertSearchAttributes([
          { key: SA.status, value: c.index.status },
          { key: SA.agent, value: c.index.agent },
          { key: SA.team, value: c.index.team },
        ]);
      }
      await local.projectConversation(c.projection);
      return null;
    case 'enqueue':
      await remote.enqueueConversation({
        deskId, conversationId, teamId: c.teamId, vip: input.vip, visitorId: input.visitorId, visitorName: input.visitorName,
        enqueuedAt: Date.now(), queueNotice: c.queueNotice,
      });
      return null;
    case 'release':
      // A regular activity: it waits for a desk task, which a local one would make this task wait for too.
      await remote.releaseAtDesk({ deskId, conversationId });
      return null;
    case 'storeRating': {
      const { type: _type, ...rating } = c;
      await remote.storeRating({ conversationId, ...rating });
      return null;
    }
    case 'callWebhook':
      return { type: 'webhookResult', outcome: await callWebhook(c.request) };
    case 'readQueueStanding':
      return { type: 'queueStanding', ...(await local.queueStanding({ conversationId })) };
    case 'readChat': {
      const readAt = Date.now();
      return { type: 'chatRead', chat: await local.lastChatMessages({ conversationId, agentId: c.agentId }), readAt };
    }
  }
}

async function callWebhook(request: HttpRequestSpec): Promise<HttpOutcome> {
  const hook = proxyActivities<ParleyActivities>({
    startToCloseTimeout: request.timeoutMs,
    retry: { maximumAttempts: request.maxAttempts, initialInterval: '500ms', backoffCoefficient: 2 },
  });
  try {
    return { ok: true, body: await hook.callWebhook(request) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
