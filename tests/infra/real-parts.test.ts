import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { freePort } from '../../scripts/lib/ports.js';
import { startEmbeddedPostgres } from '../../scripts/lib/postgres.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('global setup', () => {
  it('provides a Temporal server with the Parley search attributes', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(Object.keys(SEARCH_ATTRIBUTES)));
    } finally {
      await connection.close();
    }
  });

  it('provides a PostgreSQL admin URL', async () => {
    expect(await query(inject('databaseUrl'), 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('provides the workflow bundle when the workflows exist', () => {
    const bundlePath = inject('workflowBundlePath');
    if (fs.existsSync(path.resolve(import.meta.dirname, '../../workflows/index.ts'))) {
      expect(fs.statSync(bundlePath).size).toBeGreaterThan(0);
    } else {
      expect(bundlePath).toBe('');
    }
  });
});

describe('startEmbeddedPostgres', () => {
  const dataDir = path.join(os.tmpdir(), `parley-test-pg-restart-${crypto.randomBytes(6).toString('hex')}`);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('reuses its data directory on the next start', async () => {
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, database: 'restart_check' });
    try {
      await query(first.url, `create table kept (id int); insert into kept values (42)`);
      // Durable by default (what the fault suite relies on), without zero-filling new WAL segments.
      expect(await query(first.url, 'select current_setting($$fsync$$) as fsync, current_setting($$wal_init_zero$$) as zero'))
        .toEqual([{ fsync: 'on', zero: 'off' }]);
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir, port, database: 'restart_check' });
    try {
      expect(second.url).toBe(first.url);
      expect(await query(second.url, 'select id from kept')).toEqual([{ id: 42 }]);
    } finally {
      await second.stop();
    }
  });
});
