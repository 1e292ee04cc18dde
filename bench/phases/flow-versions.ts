import { performance } from 'node:perf_hooks';
import { operations as ops } from '../../client/operations.js';
import { restClient } from '../../client/rest.js';
import { diffFlows } from '../../domain/flow/diff.js';
import { readFlowFile } from '../../domain/flow/flow-file.js';
import { summarize } from '../lib/stats.js';

/**
 * Issue 20, versions: what comparing two versions of a large flow costs (domain/flow/diff.ts, run in the
 * admin's browser when they press "Compare"), what checking an imported flow file costs
 * (domain/flow/flow-file.ts), and a roll-back of that flow end to end over loopback (POST …/rollback:
 * the old definition re-published as the next version).
 */
export interface FlowVersionsPhaseOptions {
  apiUrl: string;
  password: string;
  nodes: number;
  samples: number;
  log: (line: string) => void;
}

/** A chain of `n` nodes: messages with a menu every tenth node, each with a position, texts in two locales. */
export function bigFlow(n: number, variant = 0): Record<string, unknown> {
  const nodes = Array.from({ length: n }, (_, i) => {
    const id = `n${i}`;
    const next = i + 1 < n ? `n${i + 1}` : null;
    const position = { x: (i % 10) * 280, y: Math.floor(i / 10) * 160 };
    if (i === n - 1) return { id, type: 'end', config: { text: 'Bye.' }, position };
    if (i % 10 === 5) {
      return {
        id, type: 'menu', position,
        config: { header: { en: `Menu ${i}${variant && i % 20 === 5 ? ' (new)' : ''}`, 'zh-CN': `菜单 ${i}` }, items: [{ id: 'a', content: 'A' }, { id: 'b', content: 'B' }] },
        edges: [{ on: 'a', to: next }, { on: 'b', to: next }],
      };
    }
    return { id, type: 'message', position, config: { text: { en: `Step ${i}${variant && i % 30 === 1 ? '!' : ''}`, 'zh-CN': `第 ${i} 步` } }, edges: [{ on: 'next', to: next }] };
  });
  return { start: 'n0', variables: [], nodes, settings: { visitorTimeoutSec: variant ? 900 : 600, rating: { enabled: false } } };
}

export async function flowVersionsPhase(o: FlowVersionsPhaseOptions) {
  const before = bigFlow(o.nodes);
  const after = bigFlow(o.nodes, 1);
  for (let i = 0; i < 5; i++) readFlowFile(JSON.stringify(diffFlows(before, after) && after)); // warm-up (JIT), not measured
  const diffMs: number[] = [];
  let changed = 0;
  for (let i = 0; i < o.samples; i++) {
    const t0 = performance.now();
    changed = diffFlows(before, after).nodes.changed.length;
    diffMs.push(performance.now() - t0);
  }
  const file = JSON.stringify(after, null, 2);
  const fileMs: number[] = [];
  for (let i = 0; i < o.samples; i++) {
    const t0 = performance.now();
    if (!readFlowFile(file).ok) throw new Error('the generated flow file was refused');
    fileMs.push(performance.now() - t0);
  }

  const anonymous = restClient(o.apiUrl);
  const { token } = await anonymous.call(ops.login, { body: { email: 'admin@parley.local', password: o.password } });
  const admin = restClient(o.apiUrl, { auth: { token: () => token } });
  const id = `bench-versions-${Date.now()}`;
  await admin.call(ops.createFlow, { body: { id, name: 'Bench versions', channel: id, draft: before } });
  await admin.call(ops.publishFlow, { params: { id }, body: {} });
  const detail = await admin.call(ops.getFlow, { params: { id } });
  await admin.call(ops.saveFlowDraft, { params: { id }, body: { draft: after, revision: detail.revision } });
  await admin.call(ops.publishFlow, { params: { id }, body: {} });
  const rollbackMs: number[] = [];
  const rollbacks = Math.max(5, Math.round(o.samples / 10));
  for (let i = 0; i < rollbacks; i++) {
    const t0 = performance.now();
    await admin.call(ops.rollBackFlow, { params: { id, version: 1 + (i % 2) }, body: {} }); // v1, v2, v1, …: never the live one
    rollbackMs.push(performance.now() - t0);
  }
  const r = {
    nodes: o.nodes, fileBytes: file.length, changedNodes: changed, diff: summarize(diffMs), fileCheck: summarize(fileMs), rollback: summarize(rollbackMs),
  };
  o.log(`flow versions (${o.nodes} nodes, ${changed} changed): diff ${JSON.stringify(r.diff)}; file check (${r.fileBytes} bytes) ${JSON.stringify(r.fileCheck)}; roll-back ${JSON.stringify(r.rollback)}`);
  return r;
}
