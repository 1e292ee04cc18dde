import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, staffClient, type StaffClient } from '../../helpers/clients.js';
import { stateQuery } from '../../../domain/contracts/conversation-workflow.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { HANDOFF, acceptOffer, adminToken, flowOf, publishFlow, statusOf, visitorOn } from './helpers.js';

/** Whoever ends a conversation is recorded (Tencent's closeBy) and shown in the end message. */
describe('closedBy', () => {
  let stack: Stack;
  let admin: string;
  let agent: StaffClient;
  let channel: string;

  beforeAll(async () => {
    stack = await startStack();
    admin = await adminToken(stack);
    ({ channel } = await publishFlow(stack, admin, flowOf([
      { id: 'menu', type: 'menu', config: { header: 'Need an agent?', items: [{ id: 'yes', content: 'Yes' }] }, edges: [{ on: 'yes', to: 'handoff' }] },
      HANDOFF,
    ], { waitingIdleSec: 30, closeText: 'Closed.' })));
    agent = await staffClient(stack.baseUrl, 'alice@parley.local');
    await agent.setStatus('online');
  });
  afterAll(async () => {
    agent?.close();
    await stack?.stop();
  });

  async function assigned(name: string) {
    const visitor = await visitorOn(stack, channel, name);
    await visitor.waitForBody('menu');
    await visitor.send('Yes');
    await acceptOffer(agent, visitor);
    return visitor;
  }

  it('visitor', async () => {
    const visitor = await visitorOn(stack, channel, 'Vi');
    await visitor.waitForBody('menu');
    expect(await visitor.socket.timeout(20_000).emitWithAck('visitor:close', {})).toEqual({ ok: true });
    expect(await visitor.waitForBody('end')).toEqual({ kind: 'end', text: 'Closed.', closedBy: 'visitor' });
    expect(await statusOf(stack, visitor, 'ended')).toMatchObject({ closedBy: 'visitor' });
    visitor.close();
  });

  it('agent', async () => {
    const visitor = await assigned('Ag');
    expect(await agent.closeConversation(visitor.conversation.id)).toEqual({ ok: true });
    expect(await visitor.waitForBody('end')).toMatchObject({ closedBy: 'agent' });
    expect(await statusOf(stack, visitor, 'ended')).toMatchObject({ closedBy: 'agent', agentName: 'Alice' });
    // closing twice is refused
    expect(await agent.closeConversation(visitor.conversation.id)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    visitor.close();
  });

  // A close is a signal: once acknowledged it is in the workflow's history, so a workflow task lost after
  // writing the projection is redone, never forgotten (an update was lost with its task, fault run
  // 1684896019), and the projection can refuse a second close. A close no worker runs yet is applied later.
  it('agent, closing while no worker runs: acknowledged, applied once a worker is back, then refused as already closed', async () => {
    const visitor = await assigned('Re');
    await stack.stopWorker();
    expect(await agent.closeConversation(visitor.conversation.id)).toEqual({ ok: true });
    await stack.resumeWorker();
    expect(await visitor.waitForBody('end')).toMatchObject({ closedBy: 'agent' });
    const state = await stack.temporal.workflow.getHandle(visitor.conversation.workflowId).query(stateQuery);
    expect(state).toMatchObject({ status: 'ended', closedBy: 'agent' });
    expect(await agent.closeConversation(visitor.conversation.id)).toMatchObject({ ok: false, error: { code: 'conflict', message: 'This conversation is already closed' } });
    visitor.close();
  });

  it('admin, closing a conversation an agent holds', async () => {
    const visitor = await assigned('Ad');
    const res = await http(stack.baseUrl, 'POST', `/api/conversations/${visitor.conversation.id}/close`, { token: admin, body: {} });
    expect(res).toMatchObject({ status: 200, body: { status: 'ended', closedBy: 'admin' } });
    expect(await visitor.waitForBody('end')).toMatchObject({ closedBy: 'admin' });
    visitor.close();
  });

  it('timer', async () => {
    const { channel: quick } = await publishFlow(stack, admin, flowOf([
      { id: 'menu', type: 'menu', config: { header: 'Anything?', items: [{ id: 'no', content: 'No' }] }, edges: [] },
    ], { waitingIdleSec: 1 }));
    const visitor = await visitorOn(stack, quick, 'Ti');
    expect(await visitor.waitForBody('end')).toMatchObject({ closedBy: 'timer' });
    expect(await statusOf(stack, visitor, 'ended')).toMatchObject({ closedBy: 'timer' });
    visitor.close();
  });
});
