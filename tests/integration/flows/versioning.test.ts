import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, end, flowOf, publishFlow, say, visitorOn, type NodeInput } from './helpers.js';

const version = (n: number): NodeInput[] => [
  { id: 'menu', type: 'menu', config: { header: `Menu of version ${n}`, items: [{ id: 'ok', content: 'OK' }] }, edges: [{ on: 'ok', to: 'bye' }] },
  end('bye', `Goodbye from version ${n}.`),
];

/** Publishing a new version changes new conversations only: a running one finishes on the version it started with. */
describe('flow versions and running conversations', () => {
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack();
    token = await adminToken(stack);
  });
  afterAll(async () => { await stack?.stop(); });

  it('a running conversation keeps its version while a new one gets the newly published version', async () => {
    const { flowId, channel } = await publishFlow(stack, token, flowOf(version(1)));
    const before = await visitorOn(stack, channel, 'Early');
    expect(before.conversation.flowVersion).toBe(1);
    expect((await before.waitForBody('menu')).header).toBe('Menu of version 1');

    expect((await http(stack.baseUrl, 'PUT', `/api/flows/${flowId}`, { token, body: { draft: flowOf(version(2)) } })).status).toBe(200);
    expect((await http(stack.baseUrl, 'POST', `/api/flows/${flowId}/publish`, { token, body: {} })).body).toMatchObject({ version: 2 });

    const after = await visitorOn(stack, channel, 'Late');
    expect(after.conversation).toMatchObject({ flowId, flowVersion: 2 });
    expect((await after.waitForBody('menu')).header).toBe('Menu of version 2');

    await say(before, 'OK');
    expect((await before.waitForBody('end')).text).toBe('Goodbye from version 1.');
    await say(after, 'OK');
    expect((await after.waitForBody('end')).text).toBe('Goodbye from version 2.');

    for (const [visitor, v] of [[before, 1], [after, 2]] as const) {
      const attrs = (await stack.temporal.workflow.getHandle(visitor.conversation.workflowId).describe()).typedSearchAttributes;
      expect(attrs.getAll().find((p) => p.key.name === 'ParleyFlowVersion')?.value).toBe(v);
    }
    before.close();
    after.close();
  });

  it('saving a draft without publishing changes nothing for visitors', async () => {
    const { flowId, channel } = await publishFlow(stack, token, flowOf(version(1)));
    await http(stack.baseUrl, 'PUT', `/api/flows/${flowId}`, { token, body: { draft: flowOf(version(99)) } });
    const visitor = await visitorOn(stack, channel, 'Ada');
    expect(visitor.conversation.flowVersion).toBe(1);
    expect((await visitor.waitForBody('menu')).header).toBe('Menu of version 1');
    visitor.close();
  });
});
