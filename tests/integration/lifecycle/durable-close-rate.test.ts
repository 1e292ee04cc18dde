import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations } from '../../../db/schema.js';
import { emitAck } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { waitUntil } from '../routing/helpers.js';
import { adminToken, end, flowOf, publishFlow, statusOf, storedRatings, visitorOn, type NodeInput } from '../flows/helpers.js';

/**
 * Issue 16 item 14: a visitor's close or rating the server acknowledged is recorded even if no worker
 * runs its workflow task then (crashed, stopped, mid-deploy) and the client never sends it again.
 */
describe('a close or a rating, once acknowledged, survives the worker being down', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack({ reconcileIntervalMs: 0 });
    token = await adminToken(stack);
  });
  afterAll(async () => { await stack?.stop(); });

  const MENU: NodeInput = { id: 'menu', type: 'menu', config: { header: 'How can we help?', items: [{ id: 'a', content: 'Billing' }] }, edges: [] };
  const statusInDb = async (id: string) => (await stack.database.db.select({ status: conversations.status }).from(conversations)
      .where(eq(conversations.id, id)))[0]?.status;

  it('the visitor closes while no worker runs: acknowledged at once, applied when a worker is back', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([MENU], { rating: { enabled: true, validitySec: 600 } }));
    const visitor = await visitorOn(stack, channel);
    await visitor.waitForBody('menu');

    await stack.stopWorker();
    const started = Date.now();
    expect(await emitAck(visitor.socket, 'visitor:close', {}, 15_000)).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await statusInDb(visitor.conversation.id)).toBe('bot'); // not applied yet: nobody runs the workflow
    await stack.resumeWorker();

    expect(await visitor.waitForBody('end')).toMatchObject({ closedBy: 'visitor' });
    await statusOf(stack, visitor, 'rating');
    visitor.close();
  });

  it('the visitor rates while no worker runs: acknowledged, stored and thanked when a worker is back', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([end('bye', 'Bye.')], { rating: { enabled: true, validitySec: 600, thanksText: 'Thanks!' } }));
    const visitor = await visitorOn(stack, channel);
    await statusOf(stack, visitor, 'rating');

    await stack.stopWorker();
    expect(await visitor.rate(4, 'Quick and kind')).toEqual({ ok: true });
    expect(await storedRatings(stack, visitor.conversation.id)).toEqual([]);
    await stack.resumeWorker();

    expect(await visitor.waitForBody('rating-result')).toMatchObject({ kind: 'rating-result', text: 'Thanks!', score: 4 });
    expect(await storedRatings(stack, visitor.conversation.id)).toMatchObject([{ score: 4, comment: 'Quick and kind', counted: true }]);
    // The thanks comes first, the conversation's own state (showing the rating) right after it.
    await waitUntil(async () => (await statusOf(stack, visitor, 'rating')).rating === 4, 'the conversation shows the rating');
    visitor.close();
  });

  it('a rating given inside the window counts even if the worker only gets to it after the window closed', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([end('bye', 'Bye.')], { rating: { enabled: true, validitySec: 3 } }));
    const visitor = await visitorOn(stack, channel);
    await statusOf(stack, visitor, 'rating');

    await stack.stopWorker();
    expect(await visitor.rate(5)).toEqual({ ok: true });
    await new Promise((r) => setTimeout(r, 3_500)); // the window's timer is due before any worker runs
    await stack.resumeWorker();

    await visitor.waitForBody('rating-result');
    expect(await storedRatings(stack, visitor.conversation.id)).toMatchObject([{ score: 5, counted: true }]);
    await statusOf(stack, visitor, 'ended');
    visitor.close();
  });
});
