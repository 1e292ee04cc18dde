import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { SA } from '../../domain/search-attributes.js';
import { freePort } from '../../scripts/lib/ports.js';
import { findTemporalCli } from '../../scripts/lib/temporal-cli.js';
import { startTemporalDevServer } from '../../scripts/lib/temporal-server.js';

/** A dev server started by hand, without Parley's attributes: a database from before they existed. */
async function createBareDatabase(cli: string, dbFile: string): Promise<void> {
  const port = await freePort();
  const child = spawn(cli, ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFile, '--log-level', 'error'], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    for (let i = 0; ; i++) {
      try {
        const c = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 1_000 });
        await c.workflowService.getSystemInfo({});
        await c.close();
        return;
      } catch (err) {
        if (i > 120) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

describe('startTemporalDevServer on a database from an older Parley', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-sa-${crypto.randomBytes(4).toString('hex')}-`));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // The server caches search attributes (no re-read on every use): attributes it had to add must be
  // usable at once, not a minute later.
  it('adds the missing search attributes and workflows can use them right away', async () => {
    const cli = findTemporalCli();
    expect(cli, 'the Temporal CLI is installed by the test setup').toBeTruthy();
    const dbFile = path.join(dir, 'temporal.sqlite');
    await createBareDatabase(cli!, dbFile);

    const server = await startTemporalDevServer({ cliPath: cli!, port: await freePort(), dbFile, uiPort: null });
    const connection = await Connection.connect({ address: server.address });
    try {
      const client = new Client({ connection });
      const handle = await client.workflow.start('notRegisteredAnywhere', {
        taskQueue: `sa-check-${crypto.randomUUID()}`,
        workflowId: `sa-check-${crypto.randomUUID()}`,
        typedSearchAttributes: [{ key: SA.status, value: 'bot' }, { key: SA.visitor, value: 'v-1' }, { key: SA.flowVersion, value: 3 }],
      });
      const described = await handle.describe();
      expect(described.typedSearchAttributes.get(SA.status)).toBe('bot');
      expect(described.typedSearchAttributes.get(SA.flowVersion)).toBe(3);
      await handle.terminate();
    } finally {
      await connection.close();
      await server.stop();
    }
  }, 120_000);
});

/** SQLite's file header, byte 18: 1 = rollback journal, 2 = write-ahead log. */
function journalFormat(dbFile: string): number {
  const header = Buffer.alloc(20);
  const fd = fs.openSync(dbFile, 'r');
  try { fs.readSync(fd, header, 0, 20, 0); } finally { fs.closeSync(fd); }
  return header[18];
}

describe('startTemporalDevServer with a database file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-wal-${crypto.randomBytes(4).toString('hex')}-`));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Write-ahead logging (one fsync per commit instead of a journal file per commit) must not cost
  // durability: what the server acknowledged survives a SIGKILL.
  it('keeps the history in write-ahead-log mode and loses no acknowledged start when killed', async () => {
    const cli = findTemporalCli();
    expect(cli, 'the Temporal CLI is installed by the test setup').toBeTruthy();
    const dbFile = path.join(dir, 'temporal.sqlite');
    const workflowId = `wal-check-${crypto.randomUUID()}`;

    const first = await startTemporalDevServer({ cliPath: cli!, port: await freePort(), dbFile, uiPort: null });
    let connection = await Connection.connect({ address: first.address });
    try {
      await new Client({ connection }).workflow.start('notRegisteredAnywhere', { taskQueue: 'wal-check', workflowId });
      expect(journalFormat(dbFile)).toBe(2);
    } finally {
      await connection.close();
      process.kill(first.pid, 'SIGKILL');
      await first.stop();
    }

    const second = await startTemporalDevServer({ cliPath: cli!, port: await freePort(), dbFile, uiPort: null });
    connection = await Connection.connect({ address: second.address });
    try {
      const described = await new Client({ connection }).workflow.getHandle(workflowId).describe();
      expect(described.status.name).toBe('RUNNING');
    } finally {
      await connection.close();
      await second.stop();
    }
  }, 120_000);
});
