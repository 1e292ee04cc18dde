import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, staffClient, visitorClient, type StaffClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';

/** Issue 19 (i18n): the language a staff member chose, kept on their account. */
describe('a staff member’s language on the account', () => {
  let stack: Stack;
  const clients: Array<{ close(): void }> = [];
  const staff = async (email: string): Promise<StaffClient> => {
    const c = await staffClient(stack.baseUrl, email);
    clients.push(c);
    return c;
  };
  const path = '/api/me/preferences/locale';

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await stack?.stop();
  });

  it('is unset until chosen, is each one’s own, and an unknown locale is refused with a clear error and changes nothing', async () => {
    const alice = await staff('alice@parley.local');
    const bob = await staff('bob@parley.local');
    const admin = await staff('admin@parley.local');
    expect(await http(stack.baseUrl, 'GET', path, { token: alice.token })).toEqual({ status: 200, body: { locale: null } });

    expect(await http(stack.baseUrl, 'PUT', path, { token: alice.token, body: { locale: 'zh-CN' } })).toEqual({ status: 200, body: { locale: 'zh-CN' } });
    expect((await http(stack.baseUrl, 'GET', path, { token: alice.token })).body).toEqual({ locale: 'zh-CN' });
    expect((await http(stack.baseUrl, 'GET', path, { token: bob.token })).body).toEqual({ locale: null });
    // Admins use the console with the same preference; the alert switches stay as they were.
    expect((await http(stack.baseUrl, 'PUT', path, { token: admin.token, body: { locale: 'en' } })).body).toEqual({ locale: 'en' });
    expect((await http<{ sound: boolean }>(stack.baseUrl, 'GET', '/api/me/preferences/alerts', { token: alice.token })).body.sound).toBe(true);

    for (const body of [{ locale: 'fr' }, { locale: 'zh' }, { locale: 'ZH-cn' }, { locale: 7 }, {}, { locale: 'en', userId: bob.userId }, []]) {
      const refused = await http<{ error: { code: string; message: string } }>(stack.baseUrl, 'PUT', path, { token: alice.token, body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('bad_request');
    }
    const unknown = await http<{ error: { message: string } }>(stack.baseUrl, 'PUT', path, { token: alice.token, body: { locale: 'fr' } });
    expect(unknown.body.error.message).toContain('en, zh-CN');
    expect((await http(stack.baseUrl, 'GET', path, { token: alice.token })).body).toEqual({ locale: 'zh-CN' });

    // Back to the browser's language.
    expect((await http(stack.baseUrl, 'PUT', path, { token: alice.token, body: { locale: null } })).body).toEqual({ locale: null });

    expect((await http(stack.baseUrl, 'GET', path)).status).toBe(401);
    const visitor = await visitorClient(stack.baseUrl, 'Nosy');
    clients.push(visitor);
    expect((await http(stack.baseUrl, 'PUT', path, { token: visitor.token, body: { locale: 'en' } })).status).toBe(403);
  });
});
