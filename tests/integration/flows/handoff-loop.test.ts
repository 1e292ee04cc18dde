import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { MAX_HANDOFF_FAILURES_WITHOUT_INPUT } from '../../../domain/flow/limits.js';
import { adminToken, flowOf, lines, msg, publishFlow, transcript, visitorOn } from './helpers.js';

/**
 * Issue 16, item 1: a flow that loops back into a hand-off that keeps failing (a team without members
 * fails at once) would bounce between the conversation and the desk forever. It ends with the flow's
 * error text after MAX_HANDOFF_FAILURES_WITHOUT_INPUT failures.
 */
describe('a flow looping through a failing hand-off', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack();
    token = await adminToken(stack);
    expect((await http(stack.baseUrl, 'POST', '/api/teams', { token, body: { id: 'empty-team', name: 'Empty team' } })).status).toBe(201);
  });
  afterAll(async () => { await stack?.stop(); });

  it('ends with the flow-error text instead of handing off forever', async () => {
    const { channel } = await publishFlow(stack, token, flowOf([
      { id: 'handoff', type: 'handoff', config: { teamId: 'empty-team', connecting: 'Connecting…', failed: 'Nobody there.' }, edges: [{ on: 'failed', to: 'again' }] },
      msg('again', 'Trying again.', 'handoff'),
    ], { flowErrorText: 'We could not reach anyone; please start a new chat.' }));
    const visitor = await visitorOn(stack, channel);
    const end = await visitor.waitForBody('end', undefined, 60_000);
    expect(end.closedBy).toBe('flow');
    const said = lines(await transcript(stack, visitor.conversation.id));
    expect(said.filter((l) => l === 'notice: Nobody there.')).toHaveLength(MAX_HANDOFF_FAILURES_WITHOUT_INPUT + 1);
    expect(said.slice(-2)).toEqual(['notice: We could not reach anyone; please start a new chat.', 'end(flow): The conversation has ended. Thank you for contacting us.']);
    visitor.close();
  });
});
