import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restClient } from '../../client/rest.js';
import { operations as ops } from '../../client/operations.js';
import { http, type StaffClient, type VisitorClient } from '../helpers/clients.js';
import { conversationHeldBy, staff } from '../security/lib/principals.js';
import { startStack, type Stack } from '../helpers/stack.js';

/** Canned responses through the API: scopes and who may change them, shortcuts, lookup with expansion, CSV in and out. */
describe('canned responses', () => {
  let stack: Stack;
  let team: { alice: StaffClient; bob: StaffClient; admin: StaffClient };
  let visitor: VisitorClient;
  const api = (token: string) => restClient(stack.baseUrl, { auth: { token: () => token } });
  const raw = (token: string | undefined, method: string, path: string, body?: unknown) => http<any>(stack.baseUrl, method, path, { token, body });
  const csvImport = (token: string, scope: string, csv: string) =>
    restClient(stack.baseUrl).send<any>('POST', `/api/canned-responses/import?scope=${scope}`, { token, raw: csv, contentType: 'text/csv' });
  /** What a refused request must leave as it was: every canned response and the settings. */
  const state = async () => JSON.stringify([
    (await stack.database.pool.query('select * from canned_responses order by id')).rows,
    (await stack.database.pool.query(`select * from desk_settings where key = 'canned'`)).rows,
  ]);

  beforeAll(async () => {
    stack = await startStack();
    team = await staff(stack.baseUrl);
    visitor = await conversationHeldBy(stack.baseUrl, team.alice, 'Mei Ling');
  });
  afterAll(async () => {
    visitor?.close();
    for (const c of Object.values(team ?? {})) c.close();
    await stack?.stop();
  });

  it('keeps the organisation\'s list to admins and each personal list to its owner', async () => {
    const admin = api(team.admin.token);
    const org = await admin.call(ops.createCannedResponse, { body: { scope: 'org', shortcut: 'Greeting', title: 'Greeting', text: 'Hello ${visitorName}, I am ${agentName}.' } });
    expect(org).toMatchObject({ scope: 'org', shortcut: 'greeting', category: null });

    const before = await state();
    const agentOrg = await raw(team.alice.token, 'POST', '/api/canned-responses', { scope: 'org', shortcut: 'nope', title: 'x', text: 'y' });
    expect(agentOrg).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await raw(team.alice.token, 'PATCH', `/api/canned-responses/${org.id}`, { title: 'hijack' })).status).toBe(403);
    expect((await raw(team.alice.token, 'DELETE', `/api/canned-responses/${org.id}`)).status).toBe(403);
    expect((await csvImport(team.alice.token, 'org', 'shortcut,title,text\nnope,x,y\n')).status).toBe(403);
    expect(await state()).toBe(before);

    const mine = await api(team.alice.token).call(ops.createCannedResponse, { body: { scope: 'personal', shortcut: 'bye', title: 'Goodbye', text: 'Bye ##dear##!', category: 'Closing' } });
    expect(mine).toMatchObject({ scope: 'personal', category: 'Closing' });
    // Bob sees the organisation's response but not Alice's; he cannot touch hers, not even by id (404, nothing changes).
    const bobList = await api(team.bob.token).call(ops.listCannedResponses, { params: {} });
    expect(bobList.responses.map((r) => r.shortcut)).toEqual(['greeting']);
    const snap = await state();
    expect((await raw(team.bob.token, 'PATCH', `/api/canned-responses/${mine.id}`, { title: 'x' })).status).toBe(404);
    expect((await raw(team.admin.token, 'DELETE', `/api/canned-responses/${mine.id}`)).status).toBe(404);
    expect(await state()).toBe(snap);
    // Alice sees both, her own first; she changes and deletes her own.
    const aliceList = await api(team.alice.token).call(ops.listCannedResponses, { params: {} });
    expect(aliceList.responses.map((r) => `${r.scope}:${r.shortcut}`)).toEqual(['personal:bye', 'org:greeting']);
    expect(await api(team.alice.token).call(ops.updateCannedResponse, { params: { id: mine.id }, body: { title: 'See you' } })).toMatchObject({ title: 'See you' });
    expect(await raw(undefined, 'GET', '/api/canned-responses')).toMatchObject({ status: 401 });
    expect((await raw(visitor.token, 'GET', '/api/canned-responses')).status).toBe(403);
  });

  it('makes a shortcut unique within its scope, case-insensitively, and refuses bad fields with 400', async () => {
    const admin = api(team.admin.token);
    await admin.call(ops.createCannedResponse, { body: { scope: 'org', shortcut: 'hours', title: 'Opening hours', text: 'We are open 9–17.' } });
    const before = await state();
    const dup = await raw(team.admin.token, 'POST', '/api/canned-responses', { scope: 'org', shortcut: 'HOURS', title: 'Again', text: 'x' });
    expect(dup).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: 'The shortcut /hours is already used in this list' } } });
    for (const [body, field] of [
      [{ scope: 'org', shortcut: '/hours2', title: 'x', text: 'y' }, 'shortcut'],
      [{ scope: 'org', shortcut: 'a'.repeat(33), title: 'x', text: 'y' }, 'shortcut'],
      [{ scope: 'org', shortcut: 'ok', title: '  ', text: 'y' }, 'title'],
      [{ scope: 'org', shortcut: 'ok', title: 'x', text: 'y'.repeat(2001) }, 'text'],
      [{ scope: 'team', shortcut: 'ok', title: 'x', text: 'y' }, 'scope'],
      [{ scope: 'org', shortcut: 'ok', title: 'x', text: 'y', extra: 1 }, ''],
    ] as const) {
      const res = await raw(team.admin.token, 'POST', '/api/canned-responses', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      if (field) expect(res.body.error.field).toBe(field);
    }
    expect(await state()).toBe(before);
    // The same shortcut in a personal list is fine (another scope), and renaming onto a taken one is a 409.
    const personal = await api(team.bob.token).call(ops.createCannedResponse, { body: { scope: 'personal', shortcut: 'hours', title: 'My hours', text: 'Mine' } });
    await api(team.bob.token).call(ops.createCannedResponse, { body: { scope: 'personal', shortcut: 'other', title: 'Other', text: 'x' } });
    const rename = await raw(team.bob.token, 'PATCH', `/api/canned-responses/${personal.id}`, { shortcut: 'Other' });
    expect(rename.status).toBe(409);
  });

  it('looks up in a conversation with the variables filled in for it; only the agent holding it (or an admin) may', async () => {
    await api(team.admin.token).call(ops.createCannedResponse, { body: { scope: 'org', shortcut: 'gr-unknown', title: 'Odd', text: 'Hi ${visitorName}, ${coupon} ##vip##' } });
    const found = await api(team.alice.token).call(ops.lookupCannedResponses, { params: { id: visitor.conversation.id, q: 'GR' } });
    expect(found.responses.map((r) => r.shortcut)).toEqual(['gr-unknown', 'greeting']);
    expect(found.responses[1].expanded).toBe('Hello Mei Ling, I am Alice.');
    expect(found.responses[0].expanded).toBe('Hi Mei Ling, ${coupon} ##vip##');
    // the exact shortcut comes first
    const exact = await api(team.alice.token).call(ops.lookupCannedResponses, { params: { id: visitor.conversation.id, q: 'greeting' } });
    expect(exact.responses[0].shortcut).toBe('greeting');
    // titles match anywhere; the personal ##dear## maps onto the visitor's name
    const bye = await api(team.alice.token).call(ops.lookupCannedResponses, { params: { id: visitor.conversation.id, q: 'see' } });
    expect(bye.responses.map((r) => r.expanded)).toEqual(['Bye Mei Ling!']);
    // a LIKE wildcard is a plain character
    expect((await api(team.alice.token).call(ops.lookupCannedResponses, { params: { id: visitor.conversation.id, q: '%' } })).responses).toEqual([]);
    const firstOnly = await api(team.alice.token).call(ops.lookupCannedResponses, { params: { id: visitor.conversation.id, q: 'gr', limit: 1 } });
    expect(firstOnly).toMatchObject({ responses: [{ shortcut: 'gr-unknown' }], more: true });
    expect((await raw(team.bob.token, 'GET', `/api/conversations/${visitor.conversation.id}/canned-responses?q=gr`)).status).toBe(403);
    expect((await raw(visitor.token, 'GET', `/api/conversations/${visitor.conversation.id}/canned-responses`)).status).toBe(403);
    expect((await raw(team.admin.token, 'GET', `/api/conversations/${visitor.conversation.id}/canned-responses?q=greeting`)).body.responses[0].expanded)
      .toBe('Hello Mei Ling, I am Admin.');
  });

  it('uses the organisation\'s default address for a visitor who gave no name', async () => {
    await stack.database.pool.query('update visitors set display_name = $1 where id = $2', [`Visitor ${visitor.visitorId.slice(0, 4).toUpperCase()}`, visitor.visitorId]);
    try {
      const lookup = () => api(team.alice.token).call(ops.lookupCannedResponses, { params: { id: visitor.conversation.id, q: 'bye' } });
      expect((await lookup()).responses[0].expanded).toBe('Bye dear customer!');
      expect((await raw(team.alice.token, 'PUT', '/api/settings/canned-responses', { defaultAddress: 'friend' })).status).toBe(403);
      expect((await raw(team.admin.token, 'PUT', '/api/settings/canned-responses', { defaultAddress: ' ' })).status).toBe(400);
      await api(team.admin.token).call(ops.updateCannedSettings, { body: { defaultAddress: '亲' } });
      expect((await lookup()).responses[0].expanded).toBe('Bye 亲!');
    } finally {
      await stack.database.pool.query('update visitors set display_name = $1 where id = $2', ['Mei Ling', visitor.visitorId]);
    }
  });

  it('round-trips a list through CSV: quotes, line breaks, commas, Chinese text and formula-looking cells', async () => {
    const admin = api(team.admin.token);
    await admin.call(ops.createCannedResponse, { body: { scope: 'org', shortcut: 'multi', title: '多行, "quoted"', text: 'Line one\nLine "two", with comma\n=SUM(A1)', category: '问候' } });
    await admin.call(ops.createCannedResponse, { body: { scope: 'org', shortcut: '-dash', title: '=HYPERLINK("x")', text: '@cmd' } });
    const csv = await admin.call(ops.exportCannedResponses, { params: { scope: 'org' } });
    expect(csv.startsWith('shortcut,title,text,category\r\n')).toBe(true);
    const file = await fetch(`${stack.baseUrl}/api/canned-responses/export?scope=org`, { headers: { Authorization: `Bearer ${team.admin.token}` } });
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename=canned-responses-org.csv');
    expect([...new Uint8Array(await file.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so spreadsheets read UTF-8
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`); // no cell starts with a formula character
    const exported = (await admin.call(ops.listCannedResponses, { params: { scope: 'org', limit: 5000 } })).responses;

    // Wipe the list, import the file back: the same responses.
    await stack.database.pool.query('delete from canned_responses where owner_id is null');
    const result = await admin.call(ops.importCannedResponses, { params: { scope: 'org' }, body: csv });
    expect(result).toEqual({ created: exported.length, updated: 0 });
    const back = (await admin.call(ops.listCannedResponses, { params: { scope: 'org', limit: 5000 } })).responses;
    const fields = (rs: typeof back) => rs.map(({ shortcut, title, text, category }) => ({ shortcut, title, text, category }));
    expect(fields(back)).toEqual(fields(exported));
    // Importing it again updates each by its shortcut.
    expect(await admin.call(ops.importCannedResponses, { params: { scope: 'org' }, body: csv })).toEqual({ created: 0, updated: exported.length });

    // A personal export holds only the caller's own.
    const bobCsv = await api(team.bob.token).call(ops.exportCannedResponses, { params: { scope: 'personal' } });
    expect(bobCsv.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(bobCsv).not.toContain('greeting');
  });

  it('refuses a CSV with bad rows: every problem with its line, and nothing imported', async () => {
    const csv = [
      'Title,shortcut,text,category', // any column order, header case-insensitive
      'Fine,fine,"A text\nover two lines",',
      'No shortcut,,text,',
      'Bad shortcut,has space,text,',
      'Dup,fine,again,',
      `Long,long,${'x'.repeat(2001)},`,
      'Short row,short',
      'Empty text,empty,   ,',
    ].join('\n');
    const before = await state();
    const res = await csvImport(team.admin.token, 'org', csv);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_csv');
    expect(res.body.problems.map((p: { line: number; column: string | null }) => `${p.line}:${p.column}`)).toEqual([
      '4:shortcut', '5:shortcut', '6:shortcut', '7:text', '8:null', '9:text',
    ]);
    expect(res.body.problems.find((p: { line: number }) => p.line === 6).message).toBe('shortcut: /fine is already on line 2');
    expect(await state()).toBe(before);

    const header = await csvImport(team.admin.token, 'org', 'name,text\nx,y\n');
    expect(header.body.problems[0]).toMatchObject({ line: 1, message: expect.stringContaining('missing columns shortcut, title; unknown column "name"') });
    const quotes = await csvImport(team.admin.token, 'org', 'shortcut,title,text\nok,"open,never closed\n');
    expect(quotes.status).toBe(400);
    expect(quotes.body.problems[0].message).toMatch(/not valid CSV/);
    expect((await csvImport(team.admin.token, 'org', '')).status).toBe(400);
    const asJson = await raw(team.admin.token, 'POST', '/api/canned-responses/import?scope=org', { csv: 'shortcut,title,text' });
    expect(asJson).toMatchObject({ status: 400, body: { error: { message: 'body: send the CSV text itself (Content-Type: text/csv)' } } });
    const big = await csvImport(team.admin.token, 'org', `shortcut,title,text\n${'a,b,c\n'.repeat(200_000)}`);
    expect(big.status).toBe(413);
    expect(await state()).toBe(before);
  });

  it('stops a list at its size limit, for creates and imports alike, changing nothing', async () => {
    const bob = api(team.bob.token);
    const have = (await bob.call(ops.listCannedResponses, { params: { scope: 'personal' } })).total;
    const rows = Array.from({ length: 500 - have }, (_, i) => `p${i},Title ${i},Text ${i}`);
    expect(await bob.call(ops.importCannedResponses, { params: { scope: 'personal' }, body: `shortcut,title,text\n${rows.join('\n')}` }))
      .toEqual({ created: 500 - have, updated: 0 });
    const before = await state();
    const full = await raw(team.bob.token, 'POST', '/api/canned-responses', { scope: 'personal', shortcut: 'one-more', title: 'x', text: 'y' });
    expect(full).toMatchObject({ status: 409, body: { error: { message: 'This list already has 500 canned responses, the most it may hold' } } });
    const over = await csvImport(team.bob.token, 'personal', 'shortcut,title,text\nnew-one,x,y\n');
    expect(over.status).toBe(409);
    expect(await state()).toBe(before);
  });
});
