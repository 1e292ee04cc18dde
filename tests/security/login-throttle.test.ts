/**
 * Issue 16 item 4: failed sign-ins are throttled per account (whatever the address) and per client
 * address (whatever the account) with a clear 429 + Retry-After, and an unknown e-mail or a disabled
 * account cannot be told from a wrong password, neither by the answer nor by its timing. Client
 * addresses are simulated by connecting from other loopback addresses (127.0.x.y).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResponse, send, type RawResponse } from './lib/http.js';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';

const THROTTLE = { failuresPerAccount: 3, failuresPerAddress: 5, windowMs: 3_000 };
const WRONG = 'not the password at all';

const login = (stack: Stack, email: string, password: string, ip: string) =>
  send(stack.baseUrl, { method: 'POST', path: '/api/auth/login', json: { email, password }, localAddress: ip });

function expectWrongPassword(res: RawResponse) {
  expect(res.status, describeResponse(res)).toBe(401);
  expect(res.body).toEqual({ error: { code: 'unauthorized', message: 'Wrong email or password' } });
}

/** The 429 a user sees, and how long it says to wait (s). */
function expectThrottled(res: RawResponse): number {
  expect(res.status, describeResponse(res)).toBe(429);
  expect(res.body).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/^Too many failed sign-ins: please wait \d+ s and try again$/) } });
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(THROTTLE.windowMs / 1000);
  return retryAfter;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('login throttling', () => {
  let stack: Stack;
  let adminToken: string;

  beforeAll(async () => {
    stack = await startStack({ api: { loginThrottle: THROTTLE } });
    adminToken = (await login(stack, 'admin@parley.local', TEST_PASSWORD, '127.0.0.1')).body.token;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('locks an account after its failures from any addresses; other accounts and addresses carry on; the right password works once the window passed', async () => {
    for (let i = 1; i <= THROTTLE.failuresPerAccount; i++) expectWrongPassword(await login(stack, 'alice@parley.local', WRONG, `127.0.1.${i}`));
    // Even the right password, from a fresh address, waits: the lock is on the account.
    const wait = expectThrottled(await login(stack, 'alice@parley.local', TEST_PASSWORD, '127.0.1.9'));
    expect((await login(stack, 'bob@parley.local', TEST_PASSWORD, '127.0.1.9')).status).toBe(200);
    expect((await login(stack, 'bob@parley.local', TEST_PASSWORD, '127.0.1.1')).status).toBe(200);
    await sleep(wait * 1000 + 100);
    const after = await login(stack, 'alice@parley.local', TEST_PASSWORD, '127.0.1.9');
    expect(after.status, describeResponse(after)).toBe(200);
    expect(after.body.user.email).toBe('alice@parley.local');
  });

  it('locks an address after its failures for any accounts, known or not; the same account from another address carries on', async () => {
    const ip = '127.0.2.1';
    for (let i = 1; i < THROTTLE.failuresPerAddress; i++) expectWrongPassword(await login(stack, `ghost-${i}@parley.local`, WRONG, ip));
    expectWrongPassword(await login(stack, 'bob@parley.local', WRONG, ip));
    const wait = expectThrottled(await login(stack, 'bob@parley.local', TEST_PASSWORD, ip));
    expect((await login(stack, 'bob@parley.local', TEST_PASSWORD, '127.0.2.2')).status).toBe(200);
    // A success elsewhere does not reset the address's budget.
    expectThrottled(await login(stack, 'admin@parley.local', TEST_PASSWORD, ip));
    await sleep(wait * 1000 + 100);
    expect((await login(stack, 'bob@parley.local', TEST_PASSWORD, ip)).status).toBe(200);
  });

  it('counts parallel guesses before they are checked: of many at once, only the budget gets an answer', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login(stack, 'admin@parley.local', `${WRONG} ${i}`, `127.0.3.${i + 1}`)));
    expect(answers.filter((r) => r.status === 401)).toHaveLength(THROTTLE.failuresPerAccount);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(12 - THROTTLE.failuresPerAccount);
  });

  it('throttles an unknown e-mail exactly like a known one (no enumeration by the lock)', async () => {
    const known: RawResponse[] = [];
    const unknown: RawResponse[] = [];
    for (let i = 1; i <= THROTTLE.failuresPerAccount + 1; i++) {
      known.push(await login(stack, 'bob@parley.local', WRONG, `127.0.4.${i}`));
      unknown.push(await login(stack, 'nobody@parley.local', WRONG, `127.0.5.${i}`));
    }
    expect(unknown.map((r) => r.status)).toEqual(known.map((r) => r.status));
    expect(unknown.map((r) => r.body.error.code)).toEqual(['unauthorized', 'unauthorized', 'unauthorized', 'rate_limited']);
  });

  it('answers a disabled account like a wrong password, even with the right one', async () => {
    const created = await send(stack.baseUrl, {
      method: 'POST', path: '/api/agents', token: adminToken,
      json: { email: 'dora@parley.local', nickname: 'Dora', password: TEST_PASSWORD },
    });
    expect(created.status, describeResponse(created)).toBe(201);
    expect((await login(stack, 'dora@parley.local', TEST_PASSWORD, '127.0.6.2')).status).toBe(200);
    const disabled = await send(stack.baseUrl, { method: 'POST', path: `/api/agents/${created.body.id}/disable`, token: adminToken, json: {} });
    expect(disabled.status, describeResponse(disabled)).toBe(200);
    const refused = await login(stack, 'dora@parley.local', TEST_PASSWORD, '127.0.6.3');
    expectWrongPassword(refused);
    expect(refused.text).toBe((await login(stack, 'dora@parley.local', WRONG, '127.0.6.4')).text);
  });
});

describe('login timing', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack(); // the tests' generous throttle: every try is really checked
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('an unknown e-mail costs about the same password-hash time as a known one with a wrong password', async () => {
    const timed = async (email: string, ip: string) => {
      const started = performance.now();
      const res = await login(stack, email, WRONG, ip);
      expect(res.status).toBe(401);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    await timed('alice@parley.local', '127.0.7.1'); // warm-up: connections, the dummy hash, JIT
    for (let i = 0; i < 10; i++) {
      known.push(await timed('alice@parley.local', '127.0.7.2'));
      unknown.push(await timed(`ghost-${i}@parley.local`, '127.0.7.3'));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // Without the dummy hash an unknown e-mail answers in ~1 ms against tens of ms for argon2;
    // half is a generous bound for a busy machine.
    expect(median(unknown), `known ${known.map(Math.round).join(',')} unknown ${unknown.map(Math.round).join(',')}`).toBeGreaterThanOrEqual(median(known) * 0.5);
  });
});
