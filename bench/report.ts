/**
 * Prints a results file (default bench/results/latest.json) as Markdown tables, for docs/performance.md.
 *   npx tsx bench/report.ts [bench/results/latest.json]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const fmt = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(Math.round(v * 10) / 10) : '—');
const keys = Object.keys(r).filter((k) => typeof r[k] === 'number' || r[k] === null).filter((k) => !['apiProcesses', 'totalSeconds', 'only', 'profiles'].includes(k));
console.log(`Run: ${r.mode}${r.only ? ` (only ${r.only.join(',')})` : ''}, finished ${r.finishedAt}, ${Math.round(r.totalSeconds / 60)} min, commit ${r.machine.commit}, ${r.apiProcesses} API process(es).`);
console.log(`Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, ${r.machine.os}, Node ${r.machine.node}, ${r.machine.temporal.split('\n')[0]}.\n`);
console.log('| metric | value |\n|---|---:|');
for (const k of keys) console.log(`| \`${k}\` | ${fmt(r[k])} |`);
console.log('\n| target | value | limit | result |\n|---|---:|---:|---|');
for (const t of r.targets) console.log(`| \`${t.name}\` ${t.rule} | ${fmt(t.value)} | ${fmt(t.limit)} | ${t.pass === null ? 'n/a' : t.pass ? 'PASS' : '**MISS**'} |`);
const cpu = r.phaseCpuPercent ?? {};
if (Object.keys(cpu).length) {
  const parts = [...new Set(Object.values(cpu).flatMap((c: any) => Object.keys(c)))].filter((p) => !['machine'].includes(p));
  console.log(`\nCPU per phase, % of one core (200 = the whole machine):\n\n| phase | ${parts.join(' | ')} |\n|---|${parts.map(() => '---:').join('|')}|`);
  for (const [phase, c] of Object.entries<Record<string, number>>(cpu)) console.log(`| ${phase} | ${parts.map((p) => fmt(c[p])).join(' | ')} |`);
}
