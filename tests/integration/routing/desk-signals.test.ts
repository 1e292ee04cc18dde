import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskSignalActivities } from '../../../activities/desk-signals.js';
import { SocketEmitter } from '../../../activities/socket-emitter.js';
import { startDesk, type Desk } from './helpers.js';

/** The activity that carries the desk's routing outcomes to conversations (instead of signals sent by the dispatcher itself). */
describe('desk signals to conversations', () => {
  let desk: Desk;
  beforeAll(async () => { desk = await startDesk({ routing: { queuePositionIntervalMs: 0 } }); });
  afterAll(async () => { await desk?.close(); });

  it('delivers each signal once even when a retried activity sends it again, in order per conversation, and skips finished conversations', async () => {
    const team = await desk.team();
    await desk.agent({ teams: [team], online: false }); // a member, but nobody online: the visitor waits
    const visitor = await desk.visitor({ team });
    const stack = desk.stack;
    await visitor.waitForBody('queue', (q) => q.position === 1);
    const { signalConversations } = deskSignalActivities({ temporal: stack.temporal, db: stack.database.db, emitter: new SocketEmitter(stack.database.pool) });
    const position = (requestId: string, n: number) => ({ conversationId: visitor.conversation.id, requestId, signalName: 'queuePositionChanged', arg: { position: n, waitNo: n - 1 } });

    // an activity retried after it had already delivered: the server keeps the signal once
    await signalConversations({ signals: [position('retry-1', 7)] });
    await signalConversations({ signals: [position('retry-1', 7)] });
    // one batch, one conversation: in the order given
    await signalConversations({ signals: [position('order-1', 8), position('order-2', 9)] });
    await visitor.waitForBody('queue', (q) => q.position === 9);

    const history = await stack.temporal.workflow.getHandle(visitor.conversation.workflowId).fetchHistory();
    const signalled = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'queuePositionChanged');
    expect(signalled).toHaveLength(3);
    expect(visitor.messages().filter((m) => m.body.kind === 'queue').map((m) => m.body.kind === 'queue' && m.body.position)).toEqual([1, 7, 8, 9]);

    // a conversation that has finished needs no news: no error, so the activity does not retry forever
    expect(await visitor.socket.timeout(20_000).emitWithAck('visitor:close', {})).toEqual({ ok: true });
    await desk.status(visitor.conversation.id, 'ended');
    await expect.poll(async () => (await stack.temporal.workflow.getHandle(visitor.conversation.workflowId).describe()).status.name, { timeout: 20_000 }).toBe('COMPLETED');
    await expect(signalConversations({ signals: [position('late-1', 3)] })).resolves.toBeUndefined();
    visitor.close();
  });
});
