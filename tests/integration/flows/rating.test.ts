import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, end, flowOf, lines, publishFlow, statusOf, storedRatings, transcript, visitorOn, type SettingsInput } from './helpers.js';

type Rating = NonNullable<SettingsInput['rating']>;

/** Satisfaction ratings: only inside the window, first or last submission counts, bad scores refused, switchable. */
describe('rating', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack();
    token = await adminToken(stack);
  });
  afterAll(async () => { await stack?.stop(); });

  /** A conversation the flow ends at once, so its rating window opens. */
  async function ended(rating: Rating, settings: SettingsInput = {}) {
    const { channel } = await publishFlow(stack, token, flowOf([end('bye', 'Bye.')], { ...settings, rating: { enabled: true, ...rating } }));
    const visitor = await visitorOn(stack, channel, 'Ada');
    await visitor.waitForBody('end');
    const rate = (body: object) => http<any>(stack.baseUrl, 'POST', `/api/conversations/${visitor.conversation.id}/rating`, { token: visitor.token, body: { requestId: randomUUID(), ...body } });
    return { visitor, rate };
  }

  it('stores a rating given inside the window and thanks the visitor', async () => {
    const { visitor, rate } = await ended({ validitySec: 60, text: 'Rate us, ${visitorName}.', thanksText: 'Thanks, ${visitorName}!' });
    expect((await visitor.waitForBody('rating-invite')).text).toBe('Rate us, Ada.');
    expect(await rate({ score: 4, comment: 'Helpful' })).toEqual({ status: 200, body: { counted: true } });
    expect(await visitor.waitForBody('rating-result')).toMatchObject({ kind: 'rating-result', text: 'Thanks, Ada!', score: 4 });
    expect(await storedRatings(stack, visitor.conversation.id)).toMatchObject([{ score: 4, comment: 'Helpful', counted: true }]);
    expect(await statusOf(stack, visitor, 'rating')).toMatchObject({ rating: 4 });
    visitor.close();
  });

  it('refuses a rating after the window closed, with a clear message, and stores nothing', async () => {
    const { visitor, rate } = await ended({ validitySec: 1 });
    await statusOf(stack, visitor, 'ended'); // the window's timer ended the conversation
    const late = await rate({ score: 5 });
    expect(late).toEqual({ status: 409, body: { error: { code: 'conflict', message: 'The rating window has closed' } } });
    expect(await storedRatings(stack, visitor.conversation.id)).toEqual([]);
    visitor.close();
  });

  it('refuses missing and invalid scores before anything is stored', async () => {
    const { visitor, rate } = await ended({ validitySec: 60 });
    expect(await rate({})).toMatchObject({ status: 400, body: { error: { field: 'score', message: expect.stringContaining('score is required') } } });
    for (const score of [0, 6, 2.5, '5', null]) {
      expect(await rate({ score }), `score ${JSON.stringify(score)}`).toMatchObject({ status: 400, body: { error: { field: 'score' } } });
    }
    const viaSocket = await visitor.socket.timeout(20_000).emitWithAck('visitor:rate', { requestId: randomUUID(), score: 9 });
    expect(viaSocket).toMatchObject({ ok: false, error: { code: 'bad_request', field: 'score' } });
    expect(await storedRatings(stack, visitor.conversation.id)).toEqual([]);
    visitor.close();
  });

  it('under the "last" policy a new rating replaces the earlier one', async () => {
    const { visitor, rate } = await ended({ validitySec: 60, policy: 'last' });
    expect((await rate({ score: 2 })).status).toBe(200);
    expect((await rate({ score: 5, comment: 'Changed my mind' })).status).toBe(200);
    expect((await storedRatings(stack, visitor.conversation.id)).map((r) => [r.score, r.counted])).toEqual([[2, false], [5, true]]);
    expect(await statusOf(stack, visitor, 'rating')).toMatchObject({ rating: 5 });
    visitor.close();
  });

  it('under the "first" policy a second rating is refused', async () => {
    const { visitor, rate } = await ended({ validitySec: 60, policy: 'first' });
    expect((await rate({ score: 3 })).status).toBe(200);
    expect(await rate({ score: 5 })).toEqual({ status: 409, body: { error: { code: 'conflict', message: 'This conversation has already been rated' } } });
    expect((await storedRatings(stack, visitor.conversation.id)).map((r) => [r.score, r.counted])).toEqual([[3, true]]);
    expect(await statusOf(stack, visitor, 'rating')).toMatchObject({ rating: 3 });
    visitor.close();
  });

  it('a retried submission (same request id) is stored once', async () => {
    const { visitor } = await ended({ validitySec: 60, policy: 'last' });
    const body = { requestId: randomUUID(), score: 4 };
    const send = () => http(stack.baseUrl, 'POST', `/api/conversations/${visitor.conversation.id}/rating`, { token: visitor.token, body });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    expect(await storedRatings(stack, visitor.conversation.id)).toHaveLength(1);
    expect(lines(await transcript(stack, visitor.conversation.id)).filter((l) => l.startsWith('rating-result'))).toHaveLength(1);
    visitor.close();
  });

  it('when ratings are off, no invitation is sent and a rating is refused', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([end('bye', 'Bye.')], { rating: { enabled: false } }));
    const visitor = await visitorOn(stack, channel, 'Ada');
    await visitor.waitForBody('end');
    await statusOf(stack, visitor, 'ended');
    expect(lines(await transcript(stack, visitor.conversation.id))).toEqual(['end(flow): Bye.']);
    const refused = await http(stack.baseUrl, 'POST', `/api/conversations/${visitor.conversation.id}/rating`, { token: visitor.token, body: { requestId: randomUUID(), score: 5 } });
    expect(refused.status).toBe(409);
    expect(await storedRatings(stack, visitor.conversation.id)).toEqual([]);
    visitor.close();
  });

  it('after an automatic close, invites a rating only when afterAutoClose is on', async () => {
    for (const afterAutoClose of [true, false]) {
      const { channel } = await publishFlow(stack, token, flowOf([
        { id: 'menu', type: 'menu', config: { header: 'Pick', items: [{ id: 'a', content: 'A' }] }, edges: [] },
      ], { waitingIdleSec: 1, rating: { enabled: true, afterAutoClose, validitySec: 60 } }));
      const visitor = await visitorOn(stack, channel, 'Ada');
      await visitor.waitForBody('end');
      const kinds = (await transcript(stack, visitor.conversation.id)).map((b) => b.kind);
      expect(kinds, `afterAutoClose ${afterAutoClose}`).toEqual(afterAutoClose ? ['menu', 'timeout', 'end', 'rating-invite'] : ['menu', 'timeout', 'end']);
      await statusOf(stack, visitor, afterAutoClose ? 'rating' : 'ended');
      visitor.close();
    }
  });
});
