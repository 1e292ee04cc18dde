import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { transfers } from '../../db/schema.js';
import type { TransferAnswer } from '../../domain/contracts/dispatcher-workflow.js';
import { baseStrategy, type AssignmentStrategy, type BaseStrategy } from '../../domain/desk/state.js';
import { findUser } from '../../db/accounts.js';
import { saveTransferNote, transferContexts } from '../../db/transfer-context.js';
import { findTeamRow, teamMemberIds } from '../../db/teams.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import { conflict, forbidden, HttpError, notFound } from '../http/errors.js';
import type { ConversationService } from './conversations.js';
import type { PresenceService } from './presence.js';

/** Transfers to an agent or a team, checked against the directory before the dispatcher decides. */
export function transferService(ctx: ApiContext, conversations: ConversationService, presence: PresenceService) {
  const { db } = ctx.database;
  /** Whether the transcript records this transfer as offered to the agent (written by the desk's activity). */
  const offeredTo = async (transferId: string, agentId: string) =>
    (await db.select({ id: transfers.id }).from(transfers).where(and(eq(transfers.id, transferId), eq(transfers.toAgentId, agentId)))).length > 0;
  return {
    async request(principal: Principal,
        input: { conversationId: string; toAgentId?: string; toTeamId?: string; note?: string }): Promise<TransferAnswer & { transferId: string }> {
      if (principal.kind !== 'staff') throw forbidden();
      const c = await conversations.getVisible(principal, input.conversationId);
      if (c.status !== 'assigned' || !c.agentId) throw conflict('Only a conversation being served can be transferred');
      let toTeamName: string | undefined;
      let toTeamStrategy: BaseStrategy | undefined;
      if (input.toAgentId) {
        const target = await findUser(db, input.toAgentId);
        if (!target || target.disabled) throw notFound('Agent');
      } else if (input.toTeamId) {
        const team = await findTeamRow(db, input.toTeamId);
        if (!team) throw notFound('Team');
        const members = await teamMemberIds(db, team.id);
        if (members.every((id) => id === c.agentId)) throw conflict(`Team "${team.name}" has no other agents to take this conversation`);
        toTeamName = team.name;
        toTeamStrategy = baseStrategy(team.strategy as AssignmentStrategy);
      }
      const transferId = randomUUID();
      // Issue 18: stored before the desk decides, so the request the target gets carries it (db/transfer-context.ts).
      if (input.note) await saveTransferNote(db, { transferId, conversationId: c.id, note: input.note });
      // An admin may move a conversation held by someone else; the transfer is made on the holder's behalf.
      const answer = await presence.requestTransfer({ transferId, conversationId: c.id, fromAgentId: c.agentId, toAgentId: input.toAgentId,
          toTeamId: input.toTeamId, toTeamName, toTeamStrategy });
      return { ...answer, transferId };
    },

    /** What the target of each pending transfer sees before accepting (note, visitor, last messages, wait). */
    contexts: (requests: Array<{ transferId: string; conversationId: string }>) => transferContexts(db, requests),

    async answer(principal: Principal, transferId: string, accept: boolean) {
      if (principal.kind !== 'staff') throw forbidden();
      try {
        return await presence.answerTransfer(principal.userId, transferId, accept);
      } catch (err) {
        // The desk refuses any transfer it is not waiting on: one never offered to this agent is unknown
        // (404); one that was is refused by its state (409: answered, expired or cancelled).
        if (err instanceof HttpError && err.status === 409 && !(await offeredTo(transferId, principal.userId))) throw notFound('Transfer');
        throw err;
      }
    },
  };
}
export type TransferService = ReturnType<typeof transferService>;
