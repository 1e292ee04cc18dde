import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, end, flowOf, lines, msg, publishFlow, statusOf, transcript, visitorOn, type NodeInput, type SettingsInput } from './helpers.js';

/** End and rating nodes close the conversation from the flow; the rating invitation follows when ratings are on. */
describe('end and rating nodes', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack();
    token = await adminToken(stack);
  });
  afterAll(async () => { await stack?.stop(); });

  async function run(nodes: NodeInput[], settings: SettingsInput) {
    const { channel } = await publishFlow(stack, token, flowOf(nodes, settings));
    const visitor = await visitorOn(stack, channel, 'Ada');
    await visitor.waitForBody('end');
    const seen = lines(await transcript(stack, visitor.conversation.id));
    return { visitor, seen };
  }

  it('an end node says its text, closes as "flow" and invites a rating when ratings are on', async () => {
    const { visitor, seen } = await run([msg('hi', 'Hello', 'bye'), end('bye', 'Bye ${visitorName}!')], { rating: { enabled: true, text: 'Rate us, please.', validitySec: 60 } });
    expect(seen).toEqual(['text: Hello', 'end(flow): Bye Ada!', 'rating-invite: Rate us, please.']);
    const invite = await visitor.waitForBody('rating-invite');
    expect(invite.scale).toBe(5);
    expect(new Date(invite.validUntil).getTime() - Date.now()).toBeGreaterThan(50_000);
    await statusOf(stack, visitor, 'rating');
    visitor.close();
  });

  it('an end node without text uses the flow\'s close text', async () => {
    const { visitor, seen } = await run([end('bye')], { closeText: 'That is all, ${visitorName}.' });
    expect(seen).toEqual(['end(flow): That is all, Ada.']);
    await statusOf(stack, visitor, 'ended');
    visitor.close();
  });

  it('a rating node ends the conversation with the invitation', async () => {
    const { visitor, seen } = await run([{ id: 'rate', type: 'rating', config: { text: 'We hope we helped, ${visitorName}.' } }], { rating: { enabled: true, text: 'How did we do?' } });
    expect(seen).toEqual(['end(flow): We hope we helped, Ada.', 'rating-invite: How did we do?']);
    await statusOf(stack, visitor, 'rating');
    visitor.close();
  });

  it('with ratings switched off neither node invites a rating and the conversation ends', async () => {
    for (const last of [end('bye', 'Bye.'), { id: 'bye', type: 'rating', config: { text: 'Bye.' } } as NodeInput]) {
      const { visitor, seen } = await run([last], { rating: { enabled: false } });
      expect(seen).toEqual(['end(flow): Bye.']);
      await statusOf(stack, visitor, 'ended');
      visitor.close();
    }
  });
});
