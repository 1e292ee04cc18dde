/**
 * Replay tests: every recorded workflow history must replay, without a non-determinism error, against
 * the workflow code of this checkout. They protect conversations and dispatchers that are running
 * while a new worker version is deployed.
 *
 * Histories live in tests/replay/histories/<workflow>-v<N>-<scenario>.json, recorded on a real desk by
 *   npx tsx scripts/record-histories.ts --version <N>
 *
 * When a release changes workflow code (workflows/conversation/*, workflows/dispatcher/*, or anything
 * they import, such as the flow engine):
 *   1. Run this test before releasing. If an old history fails with a non-determinism error, the change
 *      alters the commands an already-running workflow would issue (a new activity, timer, signal or
 *      search-attribute upsert, or different ones in a different order). Guard the new behaviour with
 *      `patched('<change-id>')` from @temporalio/workflow (old runs keep the old path, new runs take the
 *      new one), and later `deprecatePatch('<change-id>')` once no run of the old version is left.
 *      Changing only data the commands carry (message texts, activity arguments) replays fine.
 *   2. Record the released version's histories with the next N (`--version 2`), and commit them.
 *   3. Never delete or re-record an older version's files while workflows of that version may still
 *      be running (rating windows last 12 h, conversations can wait in a queue for hours): they are
 *      exactly what this test replays.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { historyFromFile } from './history-file.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');
const NAME = /^(conversation|dispatcher)-v(\d+)-([a-z0-9-]+)\.json$/;
const files = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort() : [];

describe('workflow histories replay against the current code', () => {
  it('has recorded histories of both workflows, named <workflow>-v<N>-<scenario>.json', () => {
    expect(files.filter((f) => !NAME.test(f))).toEqual([]);
    expect(new Set(files.map((f) => NAME.exec(f)?.[1]))).toEqual(new Set(['conversation', 'dispatcher']));
  });

  it('replays every history without a non-determinism error', { timeout: 120_000 }, async () => {
    const bundlePath = inject('workflowBundlePath');
    const histories = files.map((file) => ({ workflowId: file.replace(/\.json$/, ''), history: historyFromFile(fs.readFileSync(path.join(DIR, file), 'utf8')) }));
    const workflowTypes = histories.map(({ history }) => history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name);
    expect(new Set(workflowTypes)).toEqual(new Set(['conversationWorkflow', 'dispatcherWorkflow']));

    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath } }, histories)) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    expect(replayed).toBe(files.length);
    expect(failures).toEqual([]);
  });
});
