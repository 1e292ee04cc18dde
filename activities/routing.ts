import { agentStatusLog } from '../db/schema.js';
import { rooms, type ServerToClientEvents } from '../shared/events.js';
import { dispatcherWorkflowId, enqueueSignal, type EnqueueRequest } from '../workflows/dispatcher/messages.js';
import type { ActivityDeps } from './deps.js';

type AgentNotification = {
  [E in 'offer' | 'offer:revoked' | 'agent:state' | 'transfer:request' | 'transfer:result']: { agentId: string; event: E; payload: Parameters<ServerToClientEvents[E]>[0] }
}['offer' | 'offer:revoked' | 'agent:state' | 'transfer:request' | 'transfer:result'];

export function routingActivities({ db, emitter, temporal, taskQueue, loadDispatcherSettings }: ActivityDeps) {
  return {
    /** Puts the conversation in the desk's queue, starting the desk's dispatcher if it is not running. */
    async enqueueConversation(req: EnqueueRequest & { deskId: string }): Promise<void> {
      const { deskId, ...entry } = req;
      await temporal.workflow.signalWithStart('dispatcherWorkflow', {
        workflowId: dispatcherWorkflowId(deskId),
        taskQueue,
        args: [{ deskId, settings: await loadDispatcherSettings() }],
        signal: enqueueSignal,
        signalArgs: [entry],
      });
    },

    async notifyAgents(list: AgentNotification[]): Promise<void> {
      for (const n of list) {
        await (emitter.emit as (room: string, ev: string, payload: unknown) => Promise<void>)(rooms.agent(n.agentId), n.event, n.payload);
      }
    },

    async logAgentStatus(entry: { agentId: string; status: string; reason: string | null }): Promise<void> {
      await db.insert(agentStatusLog).values({ userId: entry.agentId, status: entry.status, reason: entry.reason });
    },
  };
}
