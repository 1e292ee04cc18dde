import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { http, staffClient, visitorClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { adminToken, end, flowOf, msg } from './helpers.js';
import { bigFlow } from '../../../bench/lib/big-flow.js';

/** The admin flow API: drafts, validation, publishing immutable versions, and who may use it. */
describe('flow REST API', () => {
  let stack: Stack;
  let admin: string;
  /** `token` null = anonymous. */
  const call = <T = any>(method: string, path: string, body?: unknown, token: string | null = admin) =>
    http<T>(stack.baseUrl, method, path, { ...(token === null ? {} : { token }), ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    stack = await startStack();
    admin = await adminToken(stack);
  });
  afterAll(async () => { await stack?.stop(); });

  it('is for admins only: anonymous 401, agents and visitors 403', async () => {
    const agent = await staffClient(stack.baseUrl, 'alice@parley.local');
    agent.close();
    const visitor = await visitorClient(stack.baseUrl);
    visitor.close();
    for (const [method, path, body] of [
      ['GET', '/api/flows', undefined],
      ['POST', '/api/flows', { id: 'sneaky', name: 'Sneaky', channel: 'sneaky' }],
      ['GET', '/api/flows/default', undefined],
      ['PUT', '/api/flows/default', { draft: { start: 'x' } }],
      ['POST', '/api/flows/default/publish', {}],
      ['GET', '/api/flows/default/versions/1', undefined],
    ] as const) {
      expect((await call(method, path, body, null)).status, `${method} ${path} anonymous`).toBe(401);
      expect((await call(method, path, body, agent.token)).status, `${method} ${path} agent`).toBe(403);
      expect((await call(method, path, body, visitor.token)).status, `${method} ${path} visitor`).toBe(403);
    }
    // nothing was created or changed by the refused calls
    const list = await call<{ flows: Array<{ id: string }> }>('GET', '/api/flows');
    expect(list.body.flows.map((f) => f.id)).toEqual(['default']);
    const versions = await call<{ versions: unknown[] }>('GET', '/api/flows/default/versions');
    expect(versions.body.versions).toHaveLength(1);
  });

  it('creates flows with unique ids and channels and says which field is wrong', async () => {
    const created = await call('POST', '/api/flows', { id: 'sales', name: 'Sales desk', channel: 'sales' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'sales', name: 'Sales desk', channel: 'sales', latestVersion: null, versions: [] });
    expect(created.body.draft).toMatchObject({ start: 'welcome' }); // starts from the default flow

    expect(await call('POST', '/api/flows', { id: 'sales', name: 'Again', channel: 'other' })).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('"sales"') } } });
    expect(await call('POST', '/api/flows', { id: 'sales-2', name: 'Web again', channel: 'web' })).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('"web"') } } });

    expect(await call('POST', '/api/flows', { id: 'Bad Id!', name: 'x', channel: 'x' })).toMatchObject({ status: 400, body: { error: { field: 'id' } } });
    expect(await call('POST', '/api/flows', { id: 'ok', name: 'x', channel: 'UPPER' })).toMatchObject({ status: 400, body: { error: { field: 'channel' } } });
    expect(await call('POST', '/api/flows', { id: 'ok', name: '   ', channel: 'ok' })).toMatchObject({ status: 400, body: { error: { field: 'name' } } });
    expect(await call('POST', '/api/flows', { id: 'ok', name: 'x', channel: 'ok', draft: 'not a flow' })).toMatchObject({ status: 400, body: { error: { field: 'draft' } } });
    expect(await call('POST', '/api/flows', { id: 'ok', name: 'x', channel: 'ok', extra: true })).toMatchObject({ status: 400 });

    const list = await call<{ flows: Array<{ id: string; latestVersion: number | null }> }>('GET', '/api/flows');
    expect(list.body.flows).toEqual([
      expect.objectContaining({ id: 'default', channel: 'web', latestVersion: 1 }),
      expect.objectContaining({ id: 'sales', channel: 'sales', latestVersion: null }),
    ]);
  });

  it('saves drafts, 404s unknown flows and refuses a channel another flow serves', async () => {
    await call('POST', '/api/flows', { id: 'drafts', name: 'Drafts', channel: 'drafts' });
    const draft = flowOf([msg('hi', 'Hello', 'bye'), end('bye')]);
    const saved = await call('PUT', '/api/flows/drafts', { draft, name: 'Renamed' });
    expect(saved).toMatchObject({ status: 200, body: { name: 'Renamed', channel: 'drafts', draft } });
    expect((await call('GET', '/api/flows/drafts')).body.draft).toEqual(draft);

    expect((await call('GET', '/api/flows/nope')).status).toBe(404);
    expect((await call('PUT', '/api/flows/nope', { draft })).status).toBe(404);
    expect((await call('POST', '/api/flows/nope/validate', {})).status).toBe(404);
    expect((await call('POST', '/api/flows/nope/publish', {})).status).toBe(404);
    expect((await call('GET', '/api/flows/nope/versions')).status).toBe(404);
    expect(await call('PUT', '/api/flows/drafts', { draft, channel: 'web' })).toMatchObject({ status: 409 });
    expect(await call('PUT', '/api/flows/drafts', { draft: [1, 2] })).toMatchObject({ status: 400, body: { error: { field: 'draft' } } });
    expect((await call('GET', '/api/flows/drafts')).body).toMatchObject({ name: 'Renamed', channel: 'drafts' });
  });

  it('validates a draft and reports every problem with its node id', async () => {
    await call('POST', '/api/flows', { id: 'broken', name: 'Broken', channel: 'broken' });
    // an unfinished draft saves (problems are the designer's to show and publishing's to refuse)
    const draft = {
      start: 'hi',
      nodes: [
        { id: 'hi', type: 'message', config: { text: 'Hello ${nobody}' }, edges: [{ on: 'next', to: 'ghost' }] },
        { id: 'menu', type: 'menu', config: { header: 'Pick', items: [] }, edges: [] },
        { id: 'empty', type: 'message', config: { text: '' } },
      ],
    };
    expect((await call('PUT', '/api/flows/broken', { draft })).status).toBe(200);
    const result = await call<{ ok: boolean; problems: Array<{ nodeId: string | null; code: string }> }>('POST', '/api/flows/broken/validate', {});
    expect(result.status).toBe(200);
    expect(result.body.ok).toBe(false);
    const found = result.body.problems.map((p) => `${p.nodeId}:${p.code}`);
    expect(found).toEqual(expect.arrayContaining(['hi:dangling_edge', 'hi:undeclared_variable', 'menu:empty_menu', 'menu:unreachable_node', 'empty:unreachable_node']));
    // a definition in the body may be anything: validate lists what is wrong with it
    const teleport = await call<{ ok: boolean; problems: Array<{ nodeId: string | null; code: string }> }>('POST', '/api/flows/broken/validate', {
      definition: { start: 'weird', nodes: [{ id: 'weird', type: 'teleport', config: {} }] },
    });
    expect(teleport.body.problems.map((p) => `${p.nodeId}:${p.code}`)).toContain('weird:unknown_node_type');

    // a definition in the body is checked instead of the saved draft, which stays as it was
    const good = await call('POST', '/api/flows/broken/validate', { definition: flowOf([msg('hi', 'Hello ${visitorName}', 'bye'), end('bye')]) });
    expect(good.body).toEqual({ ok: true, problems: [] });
    expect((await call('GET', '/api/flows/broken')).body.draft).toEqual(draft);
  });

  it('publishes only valid drafts, as consecutive immutable versions', async () => {
    await call('POST', '/api/flows', { id: 'pub', name: 'Pub', channel: 'pub', draft: { start: 'a', nodes: [{ id: 'a', type: 'message', config: { text: 'A' }, edges: [{ on: 'next', to: 'missing' }] }] } });
    const refused = await call<{ error: { code: string; message: string }; problems: Array<{ nodeId: string; code: string }> }>('POST', '/api/flows/pub/publish', {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('invalid_flow');
    expect(refused.body.problems).toEqual([expect.objectContaining({ nodeId: 'a', code: 'dangling_edge' })]);
    expect((await call('GET', '/api/flows/pub/versions')).body).toEqual({ versions: [] });

    const v1Draft = flowOf([msg('a', 'Version one', 'b'), end('b')]);
    await call('PUT', '/api/flows/pub', { draft: v1Draft });
    const v1 = await call('POST', '/api/flows/pub/publish', {});
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ flowId: 'pub', version: 1, definition: { start: 'a' } });
    // stored with every default applied, so the version means the same thing forever
    expect(v1.body.definition.settings.visitorTimeoutSec).toBe(600);

    await call('PUT', '/api/flows/pub', { draft: flowOf([msg('a', 'Version two', 'b'), end('b')]) });
    const v2 = await call('POST', '/api/flows/pub/publish', {});
    expect(v2.body.version).toBe(2);

    const detail = await call('GET', '/api/flows/pub');
    expect(detail.body.latestVersion).toBe(2);
    expect(detail.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const me = await call<{ id: string }>('GET', '/api/auth/me');
    expect(detail.body.versions[0].publishedBy).toBe(me.body.id);

    // editing the draft afterwards never touches what was published
    await call('PUT', '/api/flows/pub', { draft: flowOf([msg('a', 'Version three draft', 'b'), end('b')]) });
    const one = await call('GET', '/api/flows/pub/versions/1');
    expect(one.status).toBe(200);
    expect(one.body.definition.nodes[0].config.text).toBe('Version one');
    expect((await call('GET', '/api/flows/pub/versions/3')).status).toBe(404);
    expect(await call('GET', '/api/flows/pub/versions/abc')).toMatchObject({ status: 400, body: { error: { field: 'version' } } });
  });

  it('the database itself refuses to change or delete a published version', async () => {
    const { db } = stack.database;
    await expect(db.execute(sql`update flow_versions set definition = '{}'::jsonb where flow_id = 'default'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from flow_versions where flow_id = 'default'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from flows where id = 'default'`)).rejects.toThrow(); // would cascade to its versions
    const one = await call('GET', '/api/flows/default/versions/1');
    expect(one.body.definition.start).toBe('welcome');
  });

  it('new conversations on a channel start on its latest published version', async () => {
    await call('POST', '/api/flows', { id: 'live', name: 'Live', channel: 'live', draft: flowOf([msg('a', 'Hello from v1', 'b'), end('b')]) });
    await call('POST', '/api/flows/live/publish', {});
    await call('PUT', '/api/flows/live', { draft: flowOf([msg('a', 'Hello from v2, ${visitorName}', 'b'), end('b')]) });
    await call('POST', '/api/flows/live/publish', {});
    const visitor = await visitorClient(stack.baseUrl, 'Lin', { channel: 'live' });
    expect(visitor.conversation).toMatchObject({ flowId: 'live', flowVersion: 2 });
    await visitor.waitForBody('text', (b) => b.text === 'Hello from v2, Lin');
    visitor.close();

    // a flow that was never published serves nobody yet
    await call('POST', '/api/flows', { id: 'unpublished', name: 'Unpublished', channel: 'unpublished' });
    const session = await http<{ token: string }>(stack.baseUrl, 'POST', '/api/visitor/session', { body: {} });
    const refused = await http(stack.baseUrl, 'POST', '/api/visitor/conversations', { token: session.body.token, body: { channel: 'unpublished' } });
    expect(refused.status).toBe(409);
  });

  it('documents every flow endpoint in the OpenAPI document', async () => {
    const doc = await http<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(stack.baseUrl, 'GET', '/api/openapi.json');
    const paths = doc.body.paths;
    expect(Object.keys(paths['/api/flows'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(paths['/api/flows/{flowId}'])).toEqual(expect.arrayContaining(['get', 'put']));
    expect(Object.keys(paths['/api/flows/{flowId}/publish'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '422']));
    expect(paths['/api/flows/{flowId}/validate']).toBeDefined();
    expect(paths['/api/flows/{flowId}/versions']).toBeDefined();
    expect(paths['/api/flows/{flowId}/versions/{version}']).toBeDefined();
  });
  it('saves a 300-node draft with positions (issue 20’s largest flow; 75 kB)', async () => {
    await call('POST', '/api/flows', { id: 'big', name: 'Big', channel: 'big' });
    const draft = bigFlow(300);
    draft.nodes.forEach((n, i) => { n.position = { x: (i % 20) * 300, y: Math.floor(i / 20) * 150 }; });
    expect(JSON.stringify({ draft }).length).toBeGreaterThan(64 * 1024);
    const saved = await call<{ draft: { nodes: unknown[] } }>('PUT', '/api/flows/big', { draft });
    expect(saved.status).toBe(200);
    expect(saved.body.draft.nodes).toHaveLength(300);
  });

  it('refuses a draft that is not a Parley flow, naming the path, and changes nothing (issue 20)', async () => {
    await call('POST', '/api/flows', { id: 'strict', name: 'Strict', channel: 'strict' });
    const before = (await call<{ draft: unknown; revision: number }>('GET', '/api/flows/strict')).body;
    const node = { id: 'hi', type: 'message', config: { text: 'Hi' } };
    for (const [draft, says] of [
      [{ start: 'hi', nodes: [node], settings: { visitorTimeoutSecs: 60 } }, 'settings.visitorTimeoutSecs'], // a misspelt setting
      [{ start: 'hi', nodes: [{ ...node, config: { text: 'Hi', colour: 'red' } }] }, 'nodes[0].config.colour'],
      [{ start: 'hi', nodes: [{ ...node, type: 'teleport' }] }, 'type'],
      [{ start: 'hi', nodes: [node, node] }, 'hi'], // two nodes with one id
      [{ start: 'hi', nodes: [{ ...node, edges: [{ on: 'next' }] }] }, 'to'],
      [{ start: 'hi', nodes: [node], extra: true }, 'extra'],
    ] as const) {
      const refused = await call<{ error: { message: string } }>('PUT', '/api/flows/strict', { draft });
      expect(refused.status, JSON.stringify(draft)).toBe(400);
      expect(refused.body.error.message).toContain(says);
    }
    expect((await call('GET', '/api/flows/strict')).body).toMatchObject(before);
  });

  it('refuses a draft save naming a revision someone else moved past (409), and changes nothing', async () => {
    const created = await call<{ revision: number }>('POST', '/api/flows', { id: 'rev', name: 'Revisions', channel: 'rev' });
    expect(created.body.revision).toBe(0);
    const first = await call<{ revision: number; draft: { start: string } }>('PUT', '/api/flows/rev', { draft: { start: 'first' }, revision: 0 });
    expect(first).toMatchObject({ status: 200, body: { revision: 1, draft: { start: 'first' } } });

    const stale = await call('PUT', '/api/flows/rev', { draft: { start: 'second' }, revision: 0 });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: expect.stringContaining('revision 0') } } });
    expect((stale.body as { error: { message: string } }).error.message).toContain('revision 1');
    const kept = await call<{ revision: number; draft: { start: string } }>('GET', '/api/flows/rev');
    expect(kept.body).toMatchObject({ revision: 1, draft: { start: 'first' } }); // not overwritten

    expect(await call('PUT', '/api/flows/rev', { draft: { start: 'second' }, revision: 1 })).toMatchObject({ status: 200, body: { revision: 2 } });
    expect(await call('PUT', '/api/flows/rev', { draft: { start: 'x' }, revision: -1 })).toMatchObject({ status: 400, body: { error: { field: 'revision' } } });
    expect(await call('PUT', '/api/flows/nope', { draft: { start: 'x' }, revision: 0 })).toMatchObject({ status: 404 });
    // without a revision (older clients) the save still goes through, and still bumps it
    expect(await call('PUT', '/api/flows/rev', { draft: { start: 'third' } })).toMatchObject({ status: 200, body: { revision: 3 } });
  });
});
