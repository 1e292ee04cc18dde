import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INT4_MAX } from '../../api/http/integers.js';
import { http, visitorClient } from '../helpers/clients.js';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';
import { send } from '../security/lib/http.js';

/**
 * Issue 16, items 15 and 16: the OpenAPI document tells the truth. Integer parameters are bounded by
 * their column, every status an operation can answer is documented, unknown methods get 405.
 * (The full contract run, Schemathesis as every role, is `npm run test:contract`: docs/contract.md.)
 */

interface Operation {
  operationId?: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; schema: { type?: string; minimum?: number; maximum?: number } }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { headers?: Record<string, { required?: boolean }> }>;
  'x-parley-access': string;
}
type Doc = { paths: Record<string, Record<string, Operation>> };

/** Operations that refuse by state (409), by operationId: each `conflict(...)` the code can throw for them. */
const REFUSE_BY_STATE = [
  'startConversation', 'sendMessage', 'closeConversation', 'rateConversation', 'createAgent', 'disableAgent', 'createTeam',
  'updateTeam', 'deleteTeam', 'joinConversation', 'assignConversation', 'transferConversation', 'answerTransfer',
  'blockVisitor', 'unblockVisitor', 'createFlow', 'saveFlowDraft',
  // issue 20: a restore naming a draft revision someone else moved past; a roll-back to the live version
  'restoreFlowVersion', 'rollBackFlow',
  'reportPageView', 'uploadFile',
  // issue 18: a retried note's clientId taken by another message; a tag or call reason name taken
  'addNote', 'createTag', 'updateTag', 'createCallReason', 'updateCallReason',
  // issue 22: an e-mail address or phone number blocked already
  'blockContact',
  // a shortcut taken in that list, or the list full
  'importCannedResponses', 'createCannedResponse', 'updateCannedResponse',
  // issue 19: a channel without a pre-chat form switched on; no SMTP server set up
  'submitVisitorPrechat', 'emailTranscript',
  // issue 19: no leave-a-message offer open in the visitor's conversation
  'leaveMessage',
  // issue 20: a flow's test scenario name taken (or the flow has the most allowed)
  'createFlowScenario', 'renameFlowScenario',
];
/** Mounted in api/http/rate-limit.ts (restRateLimits); issue 19: pre-chat answers there, transcript e-mails in their service. */
const RATE_LIMITED = ['createVisitorSession', 'startConversation', 'sendMessage', 'login', 'reportPageView', 'uploadFile', 'submitVisitorPrechat', 'emailTranscript',
  'getChannelAvailability', 'leaveMessage', 'identifyVisitor', 'setVisitorAttributes'];

describe('the API contract', () => {
  let stack: Stack;
  let admin: string;
  let doc: Doc;
  let ops: Array<{ id: string; path: string; method: string; op: Operation }>;

  beforeAll(async () => {
    stack = await startStack();
    admin = (await http<{ token: string }>(stack.baseUrl, 'POST', '/api/auth/login', { body: { email: 'admin@parley.local', password: TEST_PASSWORD } })).body.token;
    doc = (await http<Doc>(stack.baseUrl, 'GET', '/api/openapi.json')).body;
    ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, path, method, op })));
  });
  afterAll(async () => { await stack?.stop(); });

  it('refuses a flow version beyond int4 with a clear 400, not a 500 (and documents the bound)', async () => {
    const get = (version: string) => http<{ error?: { code: string; message: string; field?: string } }>(stack.baseUrl, 'GET', `/api/flows/default/versions/${version}`, { token: admin });
    const refusal = { status: 400, body: { error: { code: 'bad_request', message: `params.version: version must be a whole number from 1 to ${INT4_MAX}`, field: 'version' } } };
    for (const v of [String(2 ** 31), String(2 ** 53 - 1), String(2 ** 53), '1e3', '0', '-1', '1.5', '0x10', ' 1', '99999999999999999999']) {
      expect(await get(encodeURIComponent(v)), `version ${v}`).toMatchObject(refusal);
    }
    expect((await get(String(INT4_MAX))).status).toBe(404);
    expect((await get('1')).status).toBe(200);

    const version = ops.find((o) => o.op.operationId === 'getFlowVersion')!.op.parameters!.find((p) => p.name === 'version')!;
    expect(version.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: INT4_MAX });
  });

  it('bounds every integer parameter on both sides, and refuses what is not a decimal integer', async () => {
    const integers = ops.flatMap((o) => (o.op.parameters ?? []).filter((p) => p.schema.type === 'integer').map((p) => ({ where: `${o.id} ${p.name}`, schema: p.schema })));
    expect(integers.map((i) => i.where).sort()).toEqual([
      'DELETE /api/blocked-contacts/{contactId} contactId', 'GET /api/canned-responses limit', 'GET /api/conversations limit', 'GET /api/conversations/{id}/canned-responses limit', 'GET /api/conversations/{id}/messages after',
      'GET /api/files/{id}/{variant} exp', 'GET /api/flows/{flowId}/versions/{version} version', 'GET /api/left-messages limit', 'GET /api/me/conversations limit', 'GET /api/search/conversations limit', 'GET /api/visitors/{id}/conversations limit',
      'POST /api/flows/{flowId}/versions/{version}/restore version', 'POST /api/flows/{flowId}/versions/{version}/rollback version',
    ]);
    for (const i of integers) {
      expect(typeof i.schema.minimum, i.where).toBe('number');
      expect(i.schema.maximum, i.where).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    }
    const visitor = await visitorClient(stack.baseUrl);
    const messages = (after: string) => http(stack.baseUrl, 'GET', `/api/conversations/${visitor.conversation.id}/messages?after=${after}`, { token: visitor.token });
    for (const bad of ['', 'abc', '1e2', String(2 ** 53)]) expect((await messages(bad)).status, `after=${bad}`).toBe(400);
    expect((await messages(String(2 ** 53 - 1))).status).toBe(200);
    expect((await http(stack.baseUrl, 'GET', '/api/conversations?limit=0x10', { token: admin })).status).toBe(400);
    visitor.close();
  });

  it('gives every operation an operationId, a description, its security and every status it can answer', () => {
    expect(ops.length).toBeGreaterThan(40);
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length);
    for (const { id, op } of ops) {
      expect(op.operationId, id).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.description, id).toBeTruthy();
      expect(op.security, id).toEqual(op['x-parley-access'] === 'public' ? [] : [{ bearer: [] }]);
      if (op.requestBody) expect(op.requestBody.required, id).toBe(true);
      const statuses = Object.keys(op.responses);
      expect(statuses, id).toEqual(expect.arrayContaining(['400', '413', '503']));
      expect(op.responses['503'].headers?.['Retry-After']?.required, id).toBe(true);
      if (op.parameters?.some((p) => p.in === 'path')) expect(statuses, id).toContain('404');
      if (op['x-parley-access'] !== 'public') expect(statuses, id).toEqual(expect.arrayContaining(['401', '403']));
      expect(statuses.includes('409'), `${id} 409`).toBe(REFUSE_BY_STATE.includes(op.operationId!));
      expect(statuses.includes('429'), `${id} 429`).toBe(RATE_LIMITED.includes(op.operationId!));
      if (statuses.includes('429')) expect(op.responses['429'].headers?.['Retry-After']?.required, id).toBe(true);
    }
    const login = ops.find((o) => o.op.operationId === 'login')!.op;
    expect(Object.keys(login.responses)).toContain('401');
  });

  it('documents "exactly one of toAgentId or toTeamId" as a oneOf, and enforces it', async () => {
    const transfer = ops.find((o) => o.op.operationId === 'transferConversation')!.op;
    const schema = transfer.requestBody!.content['application/json'].schema as { oneOf?: Array<{ required: string[]; additionalProperties: boolean }> };
    expect(schema.oneOf?.map((s) => [s.required, s.additionalProperties])).toEqual([[['toAgentId'], false], [['toTeamId'], false]]);
    const visitor = await visitorClient(stack.baseUrl);
    const both = await http(stack.baseUrl, 'POST', `/api/conversations/${visitor.conversation.id}/transfer`, {
      token: admin, body: { toAgentId: '7c1a1b1e-3c2d-4e5f-8a9b-0c1d2e3f4a5b', toTeamId: 'support' },
    });
    expect(both).toMatchObject({ status: 400, body: { error: { code: 'bad_request', message: 'body: give exactly one of toAgentId (an agent id) or toTeamId (a team id)' } } });
    visitor.close();
  });

  it('refuses a missing request body where one is required, and changes nothing', async () => {
    const visitor = await visitorClient(stack.baseUrl);
    const res = await send(stack.baseUrl, { method: 'POST', path: `/api/conversations/${visitor.conversation.id}/close`, token: visitor.token });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'bad_request', message: 'body: send a JSON object (Content-Type: application/json)' } });
    const after = await http<{ status: string }>(stack.baseUrl, 'GET', `/api/conversations/${visitor.conversation.id}`, { token: visitor.token });
    expect(after.body.status).toBe('bot');
    visitor.close();
  });

  it('answers an unknown method with 405 and Allow, and OPTIONS with every method of the path', async () => {
    for (const { path, method } of ops) {
      const concrete = path.replace(/\{[^}]+\}/g, 'x');
      const options = await send(stack.baseUrl, { method: 'OPTIONS', path: concrete });
      expect(options.status, `OPTIONS ${path}`).toBe(204);
      const allow = String(options.headers.allow).split(', ');
      expect(allow, `OPTIONS ${path}`).toEqual(expect.arrayContaining([method.toUpperCase(), 'OPTIONS']));
      const documented = Object.keys(doc.paths[path]).map((m) => m.toUpperCase());
      expect(allow.filter((m) => m !== 'HEAD' && m !== 'OPTIONS').sort(), `OPTIONS ${path}`).toEqual(documented.sort());
    }
    const wrong = await send(stack.baseUrl, { method: 'DELETE', path: '/api/agents', token: admin });
    expect(wrong).toMatchObject({ status: 405, body: { error: { code: 'method_not_allowed' } } });
    expect(wrong.headers.allow).toBe('GET, POST, HEAD, OPTIONS');
    const trace = await send(stack.baseUrl, { method: 'TRACE', path: '/api/config' });
    expect(trace.status).toBe(405);
    expect(trace.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect((await send(stack.baseUrl, { method: 'HEAD', path: '/api/config' })).status).toBe(200);
    expect((await send(stack.baseUrl, { method: 'GET', path: '/api/no-such-thing' })).status).toBe(404);
  });
});
