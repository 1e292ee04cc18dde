/** Outage classification and the once-per-outage log (pure units; the real outages: tests/security/outage.test.ts). */
import { describe, expect, it } from 'vitest';
import { outageOf, toAckError, UnavailableError } from '../../../api/http/errors.js';
import { jsonTextDepth } from '../../../api/http/json-depth.js';
import { outageLog } from '../../../api/http/outages.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const drizzleWrapped = (cause: unknown) => Object.assign(new Error('Failed query: select "id" from "users" where "id" = $1\nparams: 1'), { cause });
const grpc = (code: number) => Object.assign(new Error(`${code} status`), { code, details: 'd', metadata: {} });

describe('outageOf', () => {
  it('recognises PostgreSQL being unreachable, also behind drizzle\'s wrapper', () => {
    for (const err of [pgError('ECONNREFUSED'), pgError('57P01'), pgError('57P03'), pgError('08006'), pgError('53300'),
      new Error('Connection terminated unexpectedly'), new Error('timeout exceeded when trying to connect'), drizzleWrapped(pgError('ECONNREFUSED'))]) {
      expect(outageOf(err), String(err)).toBe('database');
    }
  });
  it('recognises Temporal being unreachable', () => {
    expect(outageOf(grpc(14))).toBe('temporal');
    expect(outageOf(grpc(4))).toBe('temporal');
    expect(outageOf(Object.assign(new Error('Failed to start Workflow'), { cause: grpc(14) }))).toBe('temporal');
  });
  it('leaves everything else alone', () => {
    for (const err of [pgError('23505'), pgError('42P01'), pgError('22003'), grpc(5), grpc(9), new Error('boom'), drizzleWrapped(pgError('42703'))]) {
      expect(outageOf(err), String(err)).toBeNull();
    }
  });
  it('turns an outage into 503 unavailable and an unknown error into a generic text with an id', () => {
    expect(toAckError(new UnavailableError('temporal'))).toMatchObject({ status: 503, error: { code: 'unavailable' }, retryAfterSec: 5 });
    const original = console.error;
    console.error = () => undefined;
    try {
      const { status, error } = toAckError(drizzleWrapped(pgError('42P01', 'relation "conversations" does not exist')));
      expect(status).toBe(500);
      expect(error.message).not.toMatch(/select|relation|conversations/);
      expect(error.message).toContain(error.errorId!);
    } finally {
      console.error = original;
    }
  });
});

describe('outage log', () => {
  it('says it once per outage, reminds at most once a minute, and logs recovery', async () => {
    const lines: string[] = [];
    let now = 0;
    let up = false;
    const log = outageLog({ log: (l) => lines.push(l), now: () => now, probeEveryMs: 5, stillDownEveryMs: 60_000 });
    const remove = log.addProbe('database', async () => { if (!up) throw new Error('down'); });
    for (let i = 0; i < 1000; i++) { now += 10; log.report('database', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')); }
    expect(lines).toEqual(['[api] PostgreSQL is unreachable (connect ECONNREFUSED 127.0.0.1:5432); answering 503 / "unavailable" until it is back']);
    now += 60_000;
    log.report('database', pgError('ECONNREFUSED'));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/still unreachable after 70 s \(1000 failures since the last notice\)/);
    up = true;
    await new Promise((r) => setTimeout(r, 50));
    expect(lines[2]).toMatch(/PostgreSQL is reachable again after/);
    expect(log.isDown('database')).toBe(false);
    remove();
  });
});

describe('jsonTextDepth', () => {
  it('counts nesting, not brackets inside strings', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(jsonTextDepth(bytes('{"a":[1,{"b":2}]}'))).toBe(3);
    expect(jsonTextDepth(bytes('{"a":"[[[[{{{{\\"[["}'))).toBe(1);
    expect(jsonTextDepth(bytes(`${'['.repeat(5000)}${']'.repeat(5000)}`), 32)).toBe(33);
  });
});
