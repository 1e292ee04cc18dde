import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateQuery } from '../../../domain/contracts/conversation-workflow.js';
import { staffClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { acceptOffer, adminToken, flowOf, handoffTo, publishFlow, say, visitorOn, POLL } from './helpers.js';

/** The conversation is findable in Temporal by what it is doing now: search attributes, memo and the `state` query follow it. */
describe('search attributes, memo and state query', () => {
  let stack: Stack;

  beforeAll(async () => { stack = await startStack(); });
  afterAll(async () => { await stack?.stop(); });

  it('tracks status, agent and team through a whole conversation', async () => {
    const { flowId, channel, version } = await publishFlow(stack, await adminToken(stack), flowOf([
      { id: 'topic', type: 'form', config: { prompt: 'Topic?', formType: 'text', variable: 'topic' }, edges: [{ on: 'next', to: 'handoff' }] },
      handoffTo('support'),
    ], { rating: { enabled: true, validitySec: 60 } }));
    const visitor = await visitorOn(stack, channel, 'Ada Search');
    const handle = stack.temporal.workflow.getHandle(visitor.conversation.workflowId);
    // Parley's own; the server adds BuildIds and TemporalChangeVersion once the first workflow task completes,
    // which can be after the visitor already sees what that task wrote.
    const attrs = async () => Object.fromEntries((await handle.describe()).typedSearchAttributes.getAll()
      .filter((p) => p.key.name.startsWith('Parley')).map((p) => [p.key.name, p.value]));
    const findIds = async (query: string) => {
      const ids: string[] = [];
      for await (const wf of stack.temporal.workflow.list({ query: `WorkflowId = '${visitor.conversation.workflowId}' AND ${query}` })) ids.push(wf.workflowId);
      return ids;
    };

    await visitor.waitForBody('form');
    expect(await attrs()).toEqual({
      ParleyStatus: 'bot', ParleyVisitor: visitor.visitorId, ParleyFlowId: flowId, ParleyFlowVersion: version, ParleyChannel: channel,
    });
    expect((await handle.describe()).memo).toEqual({ visitorName: 'Ada Search' });
    expect(await handle.query(stateQuery)).toMatchObject({ status: 'bot', agentName: null, flow: { wait: 'input', state: { nodeId: 'topic' } } });

    await say(visitor, 'billing');
    await visitor.waitForBody('queue');
    await expect.poll(attrs, POLL).toMatchObject({ ParleyStatus: 'queued', ParleyTeam: 'support' });
    await expect.poll(() => findIds(`ParleyStatus = 'queued' AND ParleyTeam = 'support'`), POLL).toEqual([visitor.conversation.workflowId]);

    const agent = await staffClient(stack.baseUrl, 'bob@parley.local');
    await agent.setStatus('online');
    await acceptOffer(agent, visitor);
    await expect.poll(attrs, POLL).toMatchObject({ ParleyStatus: 'assigned', ParleyAgent: agent.userId, ParleyTeam: 'support' });
    expect(await handle.query(stateQuery)).toMatchObject({ status: 'assigned', agentId: agent.userId, agentName: 'Bob', flow: { state: { vars: { topic: 'billing' } } } });
    await expect.poll(() => findIds(`ParleyAgent = '${agent.userId}'`), POLL).toEqual([visitor.conversation.workflowId]);

    await agent.closeConversation(visitor.conversation.id);
    await visitor.waitForBody('rating-invite');
    await expect.poll(attrs, POLL).toMatchObject({ ParleyStatus: 'rating', ParleyAgent: agent.userId, ParleyFlowVersion: version });
    expect(await handle.query(stateQuery)).toMatchObject({ status: 'rating', closedBy: 'agent' });
    visitor.close();
    agent.close();
  });
});
