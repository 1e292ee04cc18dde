import { contactBlocked } from '../../db/blacklist.js';
import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { conversationWorkflowId, type ConversationSummary } from '../../domain/conversation.js';
import { rooms } from '../../domain/contracts/events.js';
import type { ChatMessage, ClosedBy, OutgoingText } from '../../domain/messages.js';
import { FlowDefinitionSchema } from '../../domain/flow/schema.js';
import { conversations, flowVersions, flows, messages, ratings, visitors } from '../../db/schema.js';
import { loadConversationSettings } from '../../db/conversation-settings.js';
import { toChatMessage } from '../../db/mappers.js';
import { conversationQueries, listMessages } from '../../db/queries.js';
import { SA } from '../../domain/search-attributes.js';
import { closeHeldUpdate } from '../../domain/contracts/dispatcher-workflow.js';
import { closeSignal, localeSignal, rateSignal, visitorMessageSignal } from '../../domain/contracts/conversation-workflow.js';
import { strandedConversations, type StrandedConversations } from '../../activities/stranded.js';
import { SocketEmitter } from '../../activities/socket-emitter.js';
import { isWorkflowGone } from '../../domain/contracts/temporal-errors.js';
import type { ConversationInput } from '../../domain/conversation/state.js';
import { conversationWorkflow } from '../../activities/workflow-types.js';
import type { Principal } from '../auth/tokens.js';
import type { ApiContext } from '../context.js';
import { badRequest, conflict, forbidden, HttpError, notFound, outageOf, UnavailableError } from '../http/errors.js';
import { withTemporalDeadline } from './temporal-errors.js';
import { publishedFlowCache } from './published-flows.js';
import { assertClosable } from './classification.js';
import { isMentionedIn } from '../../db/notes.js';

const CLOSED = new Set(['rating', 'ended']);

/**
 * How long a close or a rating waits for the workflow to apply it before answering. It is durable once
 * signalled; waiting only lets the answer show the result in the common case (a worker that is up).
 */
const SETTLE_MS = 5_000;

/** How long an agent's close waits for the desk to free the slot before leaving that to the conversation's own close. */
const DESK_RELEASE_WAIT_MS = 3_000;

/** Polls `check` until it returns a value or `ms` have passed (then null). */
async function settle<T>(check: () => Promise<T | null | undefined>, ms = SETTLE_MS): Promise<T | null> {
  const until = Date.now() + ms;
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    const value = await check();
    if (value) return value;
    if (Date.now() >= until) return null;
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** Who writes a chat message: the visitor, or a member of staff as the serving agent. */
const author = (principal: Principal) => (principal.kind === 'visitor'
  ? { sender: 'visitor' as const, senderId: principal.visitorId }
  : { sender: 'agent' as const, senderId: principal.userId });

/** Conversation use cases shared by REST routes and socket handlers. */
export function conversationService(
  ctx: ApiContext,
  stranded: StrandedConversations = strandedConversations({ db: ctx.database.db, temporal: ctx.temporal, emitter: new SocketEmitter(ctx.database.pool) }),
) {
  const { db } = ctx.database;
  /** Ends a conversation whose workflow turned out to be gone (terminated, failed, timed out): see activities/stranded.ts. */
  const endIfGone = (conversationId: string, by?: ClosedBy) => stranded.endIfWorkflowGone({ deskId: ctx.config.deskId, conversationId, ...(by ? { by } : {}) });
  const chat = conversationQueries(db);
  const publishedFlows = publishedFlowCache();

  async function get(id: string): Promise<ConversationSummary> {
    const c = await chat.summary(id);
    if (!c) throw notFound('Conversation');
    return c;
  }

  /** Visitors see only their own; agents what they hold or their teams' queues; admins everything. */
  async function getVisible(principal: Principal, id: string): Promise<ConversationSummary> {
    const c = await get(id);
    if (principal.kind === 'visitor') {
      if (c.visitorId !== principal.visitorId) throw notFound('Conversation');
    } else if (principal.role !== 'admin' && c.agentId !== principal.userId) {
      throw forbidden('This conversation is not assigned to you');
    }
    return c;
  }

  /**
   * getVisible, plus read access for an agent a private note mentions (issue 18, docs/security.md): reading
   * only (the conversation, its transcript with notes, its live messages), never acting on it.
   */
  async function getReadable(principal: Principal, id: string): Promise<ConversationSummary> {
    try {
      return await getVisible(principal, id);
    } catch (err) {
      if (principal.kind === 'staff' && err instanceof HttpError && err.status === 403 && await isMentionedIn(db, principal.userId, id)) return get(id);
      throw err;
    }
  }

  async function latestFlow(channel: string) {
    const [row] = await db.select({ flowId: flowVersions.flowId, version: flowVersions.version })
      .from(flowVersions).innerJoin(flows, eq(flows.id, flowVersions.flowId))
      .where(eq(flows.channel, channel)).orderBy(desc(flowVersions.version)).limit(1);
    if (!row) throw new HttpError(409, 'conflict', `No published service flow for channel "${channel}"`);
    return flowAt(row.flowId, row.version);
  }

  async function flowAt(flowId: string, version: number) {
    const known = publishedFlows.get(flowId, version);
    if (known) return known;
    const [row] = await db.select({ definition: flowVersions.definition }).from(flowVersions)
      .where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.version, version)));
    if (!row) throw new HttpError(409, 'conflict', `Flow ${flowId} version ${version} is gone`);
    return publishedFlows.set({ id: flowId, version, definition: FlowDefinitionSchema.parse(row.definition) });
  }

  /** Starts the conversation's workflow; idempotent (a workflow already running under its id is kept). */
  async function launch(id: string, visitor: typeof visitors.$inferSelect, channel: string, flow: ConversationInput['flow'], locale: string | null): Promise<void> {
    const { historyLimit } = await loadConversationSettings(db);
    const input: ConversationInput = {
      conversationId: id, deskId: ctx.config.deskId, visitorId: visitor.id, visitorName: visitor.displayName, channel, vip: visitor.vip, flow,
      ...(historyLimit !== undefined ? { historyLimit } : {}),
      ...(locale !== null ? { locale } : {}),
    };
    // Bounded (gRPC deadline): with Temporal down the visitor hears so within seconds, not after the
    // client's ~15 s of retries; a retried start keeps a workflow this attempt may have started.
    await withTemporalDeadline(ctx, () => ctx.temporal.workflow.start(conversationWorkflow, {
      workflowId: conversationWorkflowId(id),
      taskQueue: ctx.config.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: SA.status, value: 'bot' }, { key: SA.visitor, value: visitor.id }, { key: SA.channel, value: channel },
        { key: SA.flowId, value: flow.id }, { key: SA.flowVersion, value: flow.version },
      ],
      memo: { visitorName: visitor.displayName },
    }));
    ctx.io.in(`visitor:${visitor.id}`).socketsJoin(rooms.conversation(id));
  }

  /**
   * Signalled even for a retried message: if an earlier attempt died before signalling, this one does
   * it; the workflow ignores a message id it has already processed.
   */
  async function signalFlowInput(message: ChatMessage, input: OutgoingText): Promise<void> {
    const workflowId = conversationWorkflowId(message.conversationId);
    try {
      await withTemporalDeadline(ctx, () => ctx.temporal.workflow.getHandle(workflowId)
          .signal(visitorMessageSignal, { messageId: message.id, text: input.text, choiceId: input.choiceId }));
    } catch (err) {
      // The flow must hear of its input. Not acknowledging makes the client send it again (same
      // clientId), and that attempt signals. A workflow that is gone without closing the conversation
      // (terminated, failed) would leave the visitor talking to nobody: the conversation ends here.
      if (isWorkflowGone(err)) {
        await endIfGone(message.conversationId);
        return;
      }
      if (!outageOf(err)) console.warn(`[api] could not signal ${workflowId}:`, err instanceof Error ? err.message : err);
      throw new UnavailableError('temporal', 'The message is stored but the conversation did not get it yet; send it again');
    }
  }

  /** True once the desk has freed the agent's slot and taken over telling the conversation to close. */
  async function releaseAtDesk(agentId: string, conversationId: string): Promise<boolean> {
    try {
      // Bounded: with no worker running the desk, the update would wait for one, and the close with it.
      await ctx.temporal.connection.withAbortSignal(
        AbortSignal.timeout(DESK_RELEASE_WAIT_MS), () => ctx.desk.update(closeHeldUpdate, { agentId, conversationId }),
      );
      return true;
    } catch {
      // Not held there, or the desk did not answer in time: the conversation's own close releases it (a
      // release the desk takes later as well is a no-op).
      return false;
    }
  }

  /**
   * A stored message (`isNew`: by this request, not an earlier attempt) goes to everyone in the room;
   * a visitor's message to the bot is flow input and is also signalled before it is acknowledged.
   */
  async function deliver(message: ChatMessage, status: string, input: OutgoingText, isNew: boolean): Promise<void> {
    if (isNew) ctx.io.to(rooms.conversation(message.conversationId)).emit('message', message);
    if (message.sender === 'visitor' && status === 'bot') await signalFlowInput(message, input);
  }

  return {
    get,
    getVisible,
    getReadable,
    /** Issue 19: the flow version a conversation runs, and a channel's latest published one (409 without). */
    flowOf: (c: ConversationSummary) => flowAt(c.flowId, c.flowVersion),
    latestFlow,

    /** The visitor's most recent conversation that has not ended, if any. */
    async currentForVisitor(visitorId: string): Promise<ConversationSummary | null> {
      return chat.current(visitorId);
    },

    /** The visitor's most recent conversation, ended or not (a late rating gets a clear answer). */
    async latestForVisitor(visitorId: string): Promise<ConversationSummary | null> {
      const [row] = await db.select({ id: conversations.id }).from(conversations)
        .where(eq(conversations.visitorId, visitorId)).orderBy(desc(conversations.createdAt)).limit(1);
      return row ? get(row.id) : null;
    },

    /** `locale`: the visitor's (issue 19), kept on the conversation and given to its workflow; an open conversation keeps its own. */
    async start(visitorId: string, channel: string, opts: { forceNew: boolean; locale?: string | null }): Promise<ConversationSummary> {
      const [visitor] = await db.select().from(visitors).where(eq(visitors.id, visitorId));
      if (!visitor) throw notFound('Visitor');
      if (visitor.blocked || await contactBlocked(db, visitor)) throw forbidden('You cannot start a conversation: this visitor has been blocked');
      let current = await this.currentForVisitor(visitorId);
      // Asked for a new one while the current one is open: that happens when its workflow is gone and
      // nothing closed it (the app offers "new" only after a close). End it, and start afresh.
      if (current && opts.forceNew && !CLOSED.has(current.status) && await endIfGone(current.id)) current = null;
      if (current && (!opts.forceNew || !CLOSED.has(current.status))) {
        // An earlier start may have stored the row and then failed to start the workflow (Temporal
        // down, API crash): the client's retry lands here. The workflow's first step projects revision
        // 1, so a row still at revision 0 may have none yet: start it (a running one is kept).
        const [row] = await db.select({ revision: conversations.revision, locale: conversations.locale }).from(conversations)
          .where(eq(conversations.id, current.id));
        if (row?.revision === 0) await launch(current.id, visitor, current.channel, await flowAt(current.flowId, current.flowVersion), row.locale);
        return current;
      }
      const flow = await latestFlow(channel);
      const id = randomUUID();
      const locale = opts.locale ?? null;
      await db.insert(conversations).values({ id, workflowId: conversationWorkflowId(id), visitorId, channel, status: 'bot', flowId: flow.id, flowVersion: flow.version, locale });
      await launch(id, visitor, channel, flow, locale);
      return get(id);
    },

    /**
     * Stores the message and delivers it to everyone in the conversation's room. A visitor's message
     * to the bot is flow input and is also signalled to the workflow before it is acknowledged; live
     * chat is not (the workflow's chat timers read the transcript), so it never waits on Temporal.
     * A retry with the same clientId returns the stored message.
     */
    async postMessage(principal: Principal, conversationId: string, input: OutgoingText): Promise<ChatMessage> {
      return (await this.tryPostMessage(principal, conversationId, input))
        ?? this.postMessageIn(principal, await getVisible(principal, conversationId), input);
    },

    /**
     * postMessage's common case (the sender's own open conversation, a new clientId) in one database
     * round trip; null when it does not apply, and nothing was stored: use the full path.
     */
    async tryPostMessage(principal: Principal, conversationId: string, input: OutgoingText): Promise<ChatMessage | null> {
      const posted = await chat.postIfOpen({ id: randomUUID(), conversationId, ...author(principal), body: { kind: 'text', text: input.text }, clientId: input.clientId });
      if (!posted) return null;
      await deliver(posted.message, posted.status, input, true);
      return posted.message;
    },

    /** postMessage for a conversation already read through a check of what the principal may see. */
    async postMessageIn(principal: Principal, c: ConversationSummary, input: OutgoingText): Promise<ChatMessage> {
      const conversationId = c.id;
      if (CLOSED.has(c.status)) throw conflict('This conversation is closed');
      if (principal.kind === 'staff' && c.agentId !== principal.userId) throw forbidden('Only the agent serving this conversation can write in it');
      const { sender, senderId } = author(principal);
      const senderName = principal.kind === 'visitor' ? c.visitorName : c.agentName;
      const inserted = await chat.insertMessage({
        id: randomUUID(), conversationId, sender, senderId, senderName, body: { kind: 'text', text: input.text }, clientId: input.clientId,
      });
      const row = inserted ?? (await db.select().from(messages)
          .where(and(eq(messages.conversationId, conversationId), eq(messages.clientId, input.clientId))))[0];
      // A retry returns the sender's own stored message. Client ids are visible to the other party, so
      // one reused by someone else is refused: it must not return (or signal the workflow as) their message.
      if (!inserted && (row?.sender !== sender || row.senderId !== senderId)) throw conflict('This clientId already belongs to another message');
      const message = toChatMessage(row);
      await deliver(message, c.status, input, !!inserted);
      return message;
    },

    /**
     * Closes the conversation. The close goes to the workflow as a signal: once the server has accepted
     * it, it is in the workflow's history and will be applied even if a worker dies on it or none is
     * running (an update is lost when its workflow task fails). The answer waits briefly for it to apply.
     */
    async close(principal: Principal, conversationId: string): Promise<ConversationSummary> {
      const c = await getVisible(principal, conversationId);
      // The projection can be trusted here: what closed it (a signal, a timer, a flow step) is in the
      // workflow's history, so a workflow task lost after writing it is redone, not forgotten.
      if (CLOSED.has(c.status)) throw conflict('This conversation is already closed');
      await assertClosable(db, principal, conversationId); // the desk's closing rules (issue 18: a tag or call reason required)
      const by: ClosedBy = principal.kind === 'visitor' ? 'visitor' : principal.role === 'admin' && c.agentId !== principal.userId ? 'admin' : 'agent';
      const actorId = principal.kind === 'visitor' ? principal.visitorId : principal.userId;
      // The serving agent's slot frees at the desk first, so the next waiting visitor is not held up by the
      // conversation's own close. Once the desk took it, the desk also tells the conversation to close (should
      // this process die now), and the conversation need not signal the desk a release of its own.
      const releasedAtDesk = by === 'agent' && c.status === 'assigned' && c.agentId === actorId && await releaseAtDesk(actorId, conversationId);
      try {
        await ctx.temporal.workflow.getHandle(c.workflowId).signal(closeSignal, { by, actorId, releasedAtDesk });
      } catch (err) {
        if (isWorkflowGone(err)) {
          await endIfGone(conversationId, by);
          return get(conversationId);
        }
        // Once the desk took the close, its own durable signal closes the conversation.
        if (!releasedAtDesk) throw err;
      }
      return (await settle(async () => {
        const now = await get(conversationId);
        return CLOSED.has(now.status) ? now : null;
      })) ?? get(conversationId);
    },

    /**
     * Records a rating. Checked here against the projection (window, policy, a retried request), so a
     * refusal is answered at once; then signalled, which makes it durable (see close). The answer waits
     * briefly for the stored rating; if the workflow has not stored it yet, it counts: it passed the checks.
     */
    async rate(principal: Principal, conversationId: string, input: { score: number; comment?: string; resolved?: boolean; requestId: string }) {
      const c = await getVisible(principal, conversationId);
      if (principal.kind !== 'visitor') throw forbidden('Only the visitor can rate a conversation');
      const stored = async () => (await db.select({ counted: ratings.counted }).from(ratings)
        .where(and(eq(ratings.requestId, input.requestId), eq(ratings.conversationId, conversationId))))[0];
      /** Stored, and shown on the conversation if it counts (the workflow writes the projection last). */
      const recorded = async () => (await db.select({ counted: ratings.counted, shown: conversations.rating }).from(ratings)
        .innerJoin(conversations, eq(conversations.id, ratings.conversationId))
        .where(and(eq(ratings.requestId, input.requestId), eq(ratings.conversationId, conversationId)))
        .then(([r]) => (r && (!r.counted || r.shown === input.score) ? r : null)));
      // A retry of a submission already taken (its answer lost): the stored rating is the answer.
      const taken = await stored();
      if (taken) return { counted: taken.counted };
      if (c.status === 'ended') throw conflict('The rating window has closed');
      if (c.status !== 'rating' || c.endedAt === null) throw conflict('This conversation is not open for rating');
      const { rating } = (await flowAt(c.flowId, c.flowVersion)).definition.settings;
      const submittedAt = Date.now();
      if (submittedAt > Date.parse(c.endedAt) + rating.validitySec * 1000) throw conflict('The rating window has closed');
      if (input.score > rating.scale) throw badRequest(`score: must be from 1 to ${rating.scale}`, 'score');
      if (rating.policy === 'first') {
        const [counted] = await db.select({ id: ratings.id }).from(ratings).where(and(eq(ratings.conversationId, conversationId), eq(ratings.counted, true)))
            .limit(1);
        if (counted) throw conflict('This conversation has already been rated');
      }
      try {
        await ctx.temporal.workflow.getHandle(c.workflowId).signal(rateSignal, { ...input, submittedAt });
      } catch (err) {
        if (!isWorkflowGone(err)) throw err;
        await endIfGone(conversationId);
        throw conflict('The rating window has closed');
      }
      return { counted: (await settle(recorded))?.counted ?? true };
    },

    /**
     * Issue 19: the visitor switched language. Stored on the conversation and signalled, so the flow's later texts
     * (and the queue, closing and rating texts) are said in it; what was said stays as it was. Only the visitor's own
     * open conversation; a supported locale (checked by the payload schema).
     */
    async setLocale(principal: Principal, conversationId: string, locale: string): Promise<string> {
      const c = await getVisible(principal, conversationId);
      if (principal.kind !== 'visitor') throw forbidden('Only the visitor can change the language of a conversation');
      if (CLOSED.has(c.status)) throw conflict('This conversation is closed');
      await db.update(conversations).set({ locale }).where(eq(conversations.id, conversationId));
      try {
        await withTemporalDeadline(ctx, () => ctx.temporal.workflow.getHandle(c.workflowId).signal(localeSignal, { locale }));
      } catch (err) {
        if (!isWorkflowGone(err)) throw err;
        await endIfGone(conversationId);
        throw conflict('This conversation is closed');
      }
      return locale;
    },

    /** The transcript; staff also get its private notes, a visitor never does. */
    async history(principal: Principal, conversationId: string, afterSeq: number): Promise<ChatMessage[]> {
      await getReadable(principal, conversationId);
      return listMessages(db, conversationId, afterSeq, { withNotes: principal.kind === 'staff' });
    },
  };
}
export type ConversationService = ReturnType<typeof conversationService>;
