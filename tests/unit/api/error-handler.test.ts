import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, HttpError } from '../../../api/http/errors.js';

/** The document promises a Retry-After header on every 503 (api/http/route.ts); the error handler keeps that promise. */
describe('API error handler', () => {
  let server: ReturnType<express.Express['listen']>;
  let base: string;
  beforeAll(async () => {
    const app = express();
    app.get('/unavailable', () => { throw new HttpError(503, 'internal', 'The message is stored but the conversation did not get it yet; send it again'); });
    app.get('/unavailable-for-30', (_req, res) => { res.setHeader('Retry-After', '30'); throw new HttpError(503, 'internal', 'down'); });
    app.get('/conflict', () => { throw new HttpError(409, 'conflict', 'no'); });
    app.use(errorHandler);
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('adds Retry-After to a 503 that does not set one, and keeps one that does', async () => {
    const res = await fetch(`${base}/unavailable`);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toEqual({ error: { code: 'internal', message: 'The message is stored but the conversation did not get it yet; send it again' } });
    expect((await fetch(`${base}/unavailable-for-30`)).headers.get('retry-after')).toBe('30');
    expect((await fetch(`${base}/conflict`)).headers.get('retry-after')).toBeNull();
  });
});
