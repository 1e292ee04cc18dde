/**
 * Temporal floor client process: drives bench/baselines/echo-workflow.ts through a Temporal client
 * and listens for the workflows' NOTIFYs on its own PostgreSQL connection.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { serve } from '../lib/ipc.js';
import { between, sleep } from '../lib/stats.js';

const ECHO_CHANNEL = 'bench_echo';
const FLOOR_CHANNEL = 'bench_floor';
const TASK_QUEUE = 'bench-echo';

let temporal: Client;
let listener: pg.Client;
const waiters = new Map<string, () => void>();

/** Resolves when a NOTIFY carrying `key` arrives (register before triggering it). */
function notified(key: string, ms = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { waiters.delete(key); reject(new Error(`no notification ${key} within ${ms} ms`)); }, ms);
    waiters.set(key, () => { clearTimeout(timer); waiters.delete(key); resolve(); });
  });
}

serve({
  async init(a: { databaseUrl: string; temporalAddress: string }) {
    const connection = await Connection.connect({ address: a.temporalAddress });
    temporal = new Client({ connection, namespace: 'default' });
    listener = new pg.Client({ connectionString: a.databaseUrl });
    await listener.connect();
    listener.on('notification', (msg) => {
      try {
        const key = JSON.parse(msg.payload!).data.packet.data[1].notify as string | null;
        if (key) waiters.get(key)?.();
      } catch {
        // not ours
      }
    });
    await listener.query(`LISTEN ${ECHO_CHANNEL}`);
    await listener.query(`LISTEN ${FLOOR_CHANNEL}`);
    return true;
  },

  /** `concurrency` echo workflows; each loop: signal → NOTIFY (timed), think. */
  async echo(a: { concurrency: number; durationMs: number; warmupMs: number; thinkMs: number }) {
    const handles = await Promise.all(Array.from({ length: a.concurrency }, () =>
      temporal.workflow.start('echoWorkflow', { workflowId: `echo-${randomUUID()}`, taskQueue: TASK_QUEUE, args: [{ channel: ECHO_CHANNEL }] })));
    const samples: number[] = [];
    let errors = 0;
    let ops = 0;
    const firstError: string[] = [];
    const start = Date.now();
    await Promise.all(handles.map(async (h) => {
      await sleep(Math.random() * a.thinkMs);
      while (Date.now() < start + a.durationMs) {
        ops++;
        const requestId = randomUUID();
        const done = notified(requestId);
        const t0 = performance.now();
        try {
          await h.signal('echo', { requestId });
          await done;
          if (Date.now() - start >= a.warmupMs) samples.push(performance.now() - t0);
        } catch (err) {
          errors++;
          if (firstError.length < 3) firstError.push(String(err));
          void done.catch(() => {});
        }
        await sleep(between(0.5, 1.5) * a.thinkMs);
      }
    }));
    await Promise.all(handles.map((h) => h.terminate('bench done').catch(() => {})));
    return { samples, errors, firstError, ops };
  },

  /** Complete floor conversations, closed loop, counted inside [warmupMs, durationMs]. */
  async floor(a: { concurrency: number; durationMs: number; warmupMs: number }) {
    const start = Date.now();
    let counted = 0;
    let failed = 0;
    const errors: string[] = [];
    const durations: number[] = [];
    await Promise.all(Array.from({ length: a.concurrency }, async () => {
      while (Date.now() < start + a.durationMs) {
        const s = performance.now();
        const workflowId = `floor-${randomUUID()}`;
        try {
          const menu = notified(`${workflowId}:menu`);
          const h = await temporal.workflow.start('floorConversationWorkflow', { workflowId, taskQueue: TASK_QUEUE, args: [{ channel: FLOOR_CHANNEL }] });
          await menu;
          const form = notified(`${workflowId}:form`);
          await h.signal('floorStep', { step: 'choice' });
          await form;
          const assigned = notified(`${workflowId}:assigned`);
          await h.signal('floorStep', { step: 'form' });
          await assigned;
          for (let i = 0; i < 4; i++) await h.signal('floorStep', { step: 'msg' });
          await h.executeUpdate('floorClose');
          await h.executeUpdate('floorRate', { args: [5] });
          const t = Date.now() - start;
          if (t >= a.warmupMs && t <= a.durationMs) counted++;
          durations.push(performance.now() - s);
        } catch (err) {
          failed++;
          if (errors.length < 5) errors.push(String(err));
        }
      }
    }));
    return { counted, windowMs: a.durationMs - a.warmupMs, failed, errors, durations };
  },
});
