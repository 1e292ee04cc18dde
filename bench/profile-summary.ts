/**
 * Summarises V8 .cpuprofile files (from `npm run bench -- --profile`): self time by package /
 * project directory and the hottest functions.
 * Usage: npx tsx bench/profile-summary.ts [--last-seconds N] <file...>  (N: only the profile's last N seconds,
 * e.g. the evicted replies at the end of the memory phase)
 */
import fs from 'node:fs';
import path from 'node:path';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

function bucket(url: string): string {
  if (!url) return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const m = /\/(api|activities|workflows|db|shared|worker|bench|scripts)\//.exec(url);
  return m ? `parley/${m[1]}` : path.basename(url);
}

const args = process.argv.slice(2);
const lastIdx = args.indexOf('--last-seconds');
const lastUs = lastIdx >= 0 ? Number(args.splice(lastIdx, 2)[1]) * 1e6 : Infinity;

for (const file of args) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i] ?? 0;
    if (p.endTime - at <= lastUs) self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()].filter(([id]) => ['(idle)', '(program)'].includes(byId.get(id)!.callFrame.functionName)).reduce((a, [, v]) => a + v, 0);
  const gc = [...self.entries()].filter(([id]) => byId.get(id)!.callFrame.functionName === '(garbage collector)').reduce((a, [, v]) => a + v, 0);
  const busy = total - idle;
  const pct = (x: number) => `${((x / busy) * 100).toFixed(1)}%`;
  const buckets = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    if (['(idle)', '(program)'].includes(n.callFrame.functionName)) continue;
    const b = n.callFrame.functionName === '(garbage collector)' ? '(gc)' : bucket(n.callFrame.url);
    buckets.set(b, (buckets.get(b) ?? 0) + t);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${bucket(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + t);
  }
  console.log(`\n${path.basename(file)}: ${(total / 1e6).toFixed(1)} s profiled, busy ${(busy / 1e6).toFixed(1)} s (${((busy / total) * 100).toFixed(0)}%), gc ${pct(gc)} of busy`);
  console.log('  by package (self time, % of busy):');
  for (const [b, t] of [...buckets].sort((a, b) => b[1] - a[1]).slice(0, 18)) console.log(`    ${pct(t).padStart(6)}  ${b}`);
  // Each busy sample charged to the innermost Parley (project, not node_modules) frame on its stack.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const isParley = (n: Node) => n.callFrame.url.includes('/') && !n.callFrame.url.includes('node_modules') && !n.callFrame.url.startsWith('node:') && bucket(n.callFrame.url).startsWith('parley/');
  const charged = new Map<string, number>();
  for (const [id, t] of self) {
    const leaf = byId.get(id)!;
    if (['(idle)', '(program)', '(garbage collector)'].includes(leaf.callFrame.functionName)) continue;
    let cur: number | undefined = id;
    let key = '(no Parley frame: library/runtime)';
    while (cur !== undefined) {
      const n = byId.get(cur)!;
      if (isParley(n)) { key = `${n.callFrame.functionName || '(anonymous)'} ${bucket(n.callFrame.url)}/${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`; break; }
      cur = parent.get(cur);
    }
    charged.set(key, (charged.get(key) ?? 0) + t);
  }
  console.log('  charged to the innermost Parley frame (inclusive of the libraries it calls):');
  for (const [f, t] of [...charged].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${pct(t).padStart(6)}  ${f}`);
  console.log('  hottest functions:');
  for (const [f, t] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`    ${pct(t).padStart(6)}  ${f}`);
}
