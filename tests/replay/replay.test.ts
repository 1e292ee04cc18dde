/**
 * Replay tests: every recorded workflow history must replay, without a non-determinism error, against
 * the workflow code of this checkout. They protect conversations and dispatchers that are running
 * while a new worker version is deployed. How changes stay replay-safe: docs/versioning.md.
 *
 * Histories live in tests/replay/histories/<release>/<workflow>-<scenario>.json, one set per release
 * whose workflows may still be running, recorded on a real desk by
 *   npx tsx scripts/record-histories.ts --release <major.minor>
 * 0.2 is the baseline: no earlier release was ever deployed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { historyFromFile } from './history-file.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');
const RELEASE = /^\d+\.\d+$/;
const NAME = /^(\d+\.\d+)\/(conversation|dispatcher)-([a-z0-9-]+)\.json$/;
/** Every history file, as `<release>/<file>`. */
const files = fs.readdirSync(DIR).sort().flatMap((release) => {
  const dir = path.join(DIR, release);
  if (!fs.statSync(dir).isDirectory()) return [release];
  return fs.readdirSync(dir).sort().map((f) => `${release}/${f}`);
});
/** Scenarios that together take every path of both workflows (scripts/record-histories.ts); every set has them. */
const SCENARIOS = ['conversation-continue-as-new-first-run', 'conversation-continue-as-new-last-run', 'conversation-form-timers',
  'conversation-http', 'conversation-nodes', 'conversation-rating', 'conversation-thin-slice', 'conversation-transfer',
  'dispatcher-continue-as-new-first-run', 'dispatcher-continue-as-new-last-run', 'dispatcher-offers'];

describe('workflow histories replay against the current code', () => {
  it('has one full set of histories per release, named <release>/<workflow>-<scenario>.json', () => {
    expect(files.filter((f) => !NAME.test(f))).toEqual([]);
    const releases = [...new Set(files.map((f) => f.split('/')[0]))];
    expect(releases).toContain('0.2');
    for (const release of releases) {
      expect(RELEASE.test(release)).toBe(true);
      expect(files.filter((f) => f.startsWith(`${release}/`)).map((f) => path.basename(f, '.json'))).toEqual(expect.arrayContaining(SCENARIOS));
    }
  });

  it('replays every history without a non-determinism error', { timeout: 120_000 }, async () => {
    const bundlePath = inject('workflowBundlePath');
    const histories = files.map((file) => ({ workflowId: file.replace(/\.json$/, '').replace('/', '-'), history: historyFromFile(fs.readFileSync(path.join(DIR, file), 'utf8')) }));
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
