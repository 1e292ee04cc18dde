import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, handoffTo, unstaffedTeam, flowOf, gap, nth, publishFlow, visitorOn } from './helpers.js';

/** While queued, the visitor hears their position when it changes and again every queueReminderSec. */
describe('queue position reminder', () => {
  let stack: Stack;
  let channel: string;

  beforeAll(async () => {
    stack = await startStack();
    const token = await adminToken(stack);
    ({ channel } = await publishFlow(stack, token, flowOf([handoffTo(await unstaffedTeam(stack, token, 'night-shift'))], {
      queueText: 'You are number ${QueuePosition}, ${visitorName}; ${WaitNo} before you.', queueReminderSec: 5, waitingIdleSec: 60,
    })));
  });
  afterAll(async () => { await stack?.stop(); });

  it('repeats the position on the reminder interval and announces changes', async () => {
    const first = await visitorOn(stack, channel, 'Ada');
    await first.waitForBody('queue');
    const second = await visitorOn(stack, channel, 'Bo');
    const told = await nth(second, 'queue', 1);
    expect(told).toEqual({ kind: 'queue', text: 'You are number 2, Bo; 1 before you.', position: 2, waitNo: 1 });
    await nth(second, 'queue', 2);
    const [a, b] = second.messages().filter((m) => m.body.kind === 'queue');
    expect(b.body).toEqual(told);
    expect(gap(a, b)).toBeGreaterThanOrEqual(5000 - 50);

    // the first visitor leaves: the second moves up and is told at once
    expect(await first.socket.timeout(20_000).emitWithAck('visitor:close', {})).toEqual({ ok: true });
    expect(await second.waitForBody('queue', (q) => q.position === 1)).toEqual({ kind: 'queue', text: 'You are number 1, Bo; 0 before you.', position: 1, waitNo: 0 });
    first.close();
    second.close();
  });
});
