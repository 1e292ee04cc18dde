import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, end, flowOf, publishFlow, say, visitorOn, type NodeInput } from './helpers.js';

const version = (n: number): NodeInput[] => [
  { id: 'menu', type: 'menu', config: { header: `Menu of version ${n}`, items: [{ id: 'ok', content: 'OK' }] }, edges: [{ on: 'ok', to: 'bye' }] },
  end('bye', `Goodbye from version ${n}.`),
];

interface Detail {
  draft: { nodes: Array<{ config: { header?: string } }> };
  revision: number;
  latestVersion: number;
  versions: Array<{ version: number; restoredFrom: number | null; publishedBy: string | null }>;
}

/** Issue 20: restoring an old version as the draft, and rolling the live version back. */
describe('flow versions: restore and roll back', () => {
  let stack: Stack;
  let token: string;
  const call = <T = any>(method: string, path: string, body?: unknown) => http<T>(stack.baseUrl, method, path, { token, body });

  beforeAll(async () => {
    stack = await startStack();
    token = await adminToken(stack);
  });
  afterAll(async () => { await stack?.stop(); });

  it('rolls back: new conversations get the old flow as a new version, a running conversation keeps its own', async () => {
    const { flowId, channel } = await publishFlow(stack, token, flowOf(version(1)));
    await call('PUT', `/api/flows/${flowId}`, { draft: flowOf(version(2)) });
    expect((await call('POST', `/api/flows/${flowId}/publish`, {})).body).toMatchObject({ version: 2 });
    await call('PUT', `/api/flows/${flowId}`, { draft: flowOf(version(3)) }); // a draft in progress

    const running = await visitorOn(stack, channel, 'Running');
    expect(running.conversation.flowVersion).toBe(2);
    expect((await running.waitForBody('menu')).header).toBe('Menu of version 2');

    const rolled = await call('POST', `/api/flows/${flowId}/versions/1/rollback`, {});
    expect(rolled.status).toBe(201);
    expect(rolled.body).toMatchObject({ flowId, version: 3, restoredFrom: 1 });
    expect(rolled.body.definition.nodes[0].config.header).toBe('Menu of version 1');
    const me = await call<{ id: string }>('GET', '/api/auth/me');
    const detail = (await call<Detail>('GET', `/api/flows/${flowId}`)).body;
    expect(detail.latestVersion).toBe(3);
    expect(detail.versions.map((v) => [v.version, v.restoredFrom])).toEqual([[1, null], [2, null], [3, 1]]);
    expect(detail.versions[2].publishedBy).toBe(me.body.id);
    // the draft is untouched by a roll-back
    expect(detail.draft.nodes[0].config.header).toBe('Menu of version 3');

    const fresh = await visitorOn(stack, channel, 'Fresh');
    expect(fresh.conversation.flowVersion).toBe(3);
    expect((await fresh.waitForBody('menu')).header).toBe('Menu of version 1');

    await say(running, 'OK');
    expect((await running.waitForBody('end')).text).toBe('Goodbye from version 2.');
    await say(fresh, 'OK');
    expect((await fresh.waitForBody('end')).text).toBe('Goodbye from version 1.');
    running.close();
    fresh.close();
  });

  it('refuses to roll back to the live version or to a version that does not exist, and publishes nothing', async () => {
    const { flowId } = await publishFlow(stack, token, flowOf(version(1)));
    const live = await call('POST', `/api/flows/${flowId}/versions/1/rollback`, {});
    expect(live).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: 'Version 1 is already the live version; there is nothing to roll back' } } });
    expect((await call('POST', `/api/flows/${flowId}/versions/7/rollback`, {})).status).toBe(404);
    expect((await call('POST', '/api/flows/no-such-flow/versions/1/rollback', {})).status).toBe(404);
    expect((await call('GET', `/api/flows/${flowId}/versions`)).body.versions).toHaveLength(1);
  });

  it('restores a version as the draft through the revision check, so a concurrent editor is never overwritten', async () => {
    const { flowId, channel } = await publishFlow(stack, token, flowOf(version(1)));
    const loaded = (await call<Detail>('GET', `/api/flows/${flowId}`)).body;
    // another admin saves the draft in between
    const theirs = await call<Detail>('PUT', `/api/flows/${flowId}`, { draft: flowOf(version(5)), revision: loaded.revision });
    expect(theirs.status).toBe(200);

    const stale = await call('POST', `/api/flows/${flowId}/versions/1/restore`, { revision: loaded.revision });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/saved by someone else since you loaded it/);
    expect((await call<Detail>('GET', `/api/flows/${flowId}`)).body.draft.nodes[0].config.header).toBe('Menu of version 5');

    const restored = await call<Detail>('POST', `/api/flows/${flowId}/versions/1/restore`, { revision: theirs.body.revision });
    expect(restored.status).toBe(200);
    expect(restored.body.draft.nodes[0].config.header).toBe('Menu of version 1');
    expect(restored.body.revision).toBe(theirs.body.revision + 1);
    // restoring publishes nothing: visitors still get version 1 as published, and no version was added
    expect(restored.body.versions).toHaveLength(1);
    const visitor = await visitorOn(stack, channel, 'Ada');
    expect(visitor.conversation.flowVersion).toBe(1);
    visitor.close();

    expect(await call('POST', `/api/flows/${flowId}/versions/1/restore`, {})).toMatchObject({ status: 400 });
    expect((await call('POST', `/api/flows/${flowId}/versions/9/restore`, { revision: restored.body.revision })).status).toBe(404);
  });
});
