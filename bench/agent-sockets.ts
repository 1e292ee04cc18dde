/**
 * Bench phase `sockets` (issue 18): the API memory an agent's socket costs while the agent has 10 open
 * conversations. Agents are given their conversations through the real flow and desk, then sign out; with the
 * conversations still theirs, the API's RSS is sampled, the same agents connect again (each socket joins its
 * conversations' rooms at the handshake and watches them, as the workbench does), and RSS is sampled again.
 * The difference divided by the number of sockets is the figure (target < 1 MB): the V8 heap plus external memory
 * after a forced full collection, through the API's inspector (the phase starts the API processes with `--inspect`), and the RSS
 * beside it (noisy: a collection can shrink it between the samples).
 */
import fs from 'node:fs';
import type { ClientProcess } from './lib/ipc.js';
import { InspectorClient, memoryAfterGcMb } from './lib/inspector.js';
import { round, sleep } from './lib/stats.js';

export interface AgentSocketPhaseDeps {
  agents: ClientProcess;
  visitors: ClientProcess[];
  apiUrls: string[];
  emails: string[];
  password: string;
  conversationsPerAgent: number;
  /** RSS (MB) of the API processes together. */
  apiRssMb: () => number;
  /** The API processes' log files, where `--inspect` prints its address. */
  apiLogFiles: string[];
  log: (line: string) => void;
}

export interface AgentSocketResult {
  agents: number;
  conversationsPerAgent: number;
  heapBeforeMb: number | null;
  heapAfterMb: number | null;
  /** The API's V8 heap growth (after a full collection) per connected agent socket, in kB; null without the inspector. */
  heapKbPerSocket: number | null;
  rssBeforeMb: number;
  rssAfterMb: number;
  /** The API's RSS growth per connected agent socket, in kB (noisy). */
  rssKbPerSocket: number;
  openSeconds: number;
  openFailed: number;
  /** Conversations the agents watched before signing out, and after signing in again. */
  watched: [number, number];
}

const GROUP = 'sockets';

/** Median of a few RSS samples, after the process had a moment to settle. */
async function settledRss(read: () => number, samples = 5, gapMs = 400): Promise<number> {
  await sleep(3000);
  const values: number[] = [];
  for (let i = 0; i < samples; i++) {
    values.push(read());
    await sleep(gapMs);
  }
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

/**
 * The APIs' memory held by JavaScript after a full collection, summed (MB): V8 heap in use plus external memory
 * (Buffers, e.g. socket buffers); null when an API runs without `--inspect`.
 */
async function apisHeapMb(logFiles: string[]): Promise<number | null> {
  let total = 0;
  for (const file of logFiles) {
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '')?.[1];
    if (!url) return null;
    const client = await InspectorClient.connect(url);
    try {
      const m = await memoryAfterGcMb(client);
      total += m.heapUsed + m.external;
    } finally {
      client.close();
    }
  }
  return total;
}

export async function measureAgentSockets(d: AgentSocketPhaseDeps): Promise<AgentSocketResult> {
  const { agents, visitors } = d;
  const total = d.emails.length * d.conversationsPerAgent;
  const login = () => agents.call('login', { apiUrls: d.apiUrls, emails: d.emails, password: d.password, group: GROUP, mode: 'echo' });

  await login();
  await agents.call('status', { group: GROUP, status: 'online' });
  d.log(`giving ${d.emails.length} agents ${d.conversationsPerAgent} conversations each...`);
  const t0 = Date.now();
  const opened = await Promise.all(visitors.map((v) => v.call<{ opened: number; failed: number }>('open', {
    apiUrls: d.apiUrls, count: Math.ceil(total / visitors.length), concurrency: 5, stage: 'assigned', pool: GROUP,
  })));
  const openSeconds = round((Date.now() - t0) / 1000);
  const held = opened.reduce((n, o) => n + o.opened, 0);
  // Best effort: the figure is per socket; how many conversations the sockets ended up in is reported beside it.
  const watched = () => agents.call<number>('waitWatched', { group: GROUP, count: Math.min(held, total), timeoutMs: 60_000 })
    .catch(async () => (await agents.call<{ watched: number }>('stats', { group: GROUP })).watched);
  const watchedFirst = await watched();

  // Signed out, their conversations still theirs: the baseline.
  await agents.call('closeGroup', { group: GROUP });
  const rssBeforeMb = await settledRss(d.apiRssMb);
  const heapBeforeMb = await apisHeapMb(d.apiLogFiles);
  // Back in: one socket per agent, in its conversations' rooms, watching them.
  await login();
  const watchedAgain = await watched();
  const rssAfterMb = await settledRss(d.apiRssMb);
  const heapAfterMb = await apisHeapMb(d.apiLogFiles);
  const perSocketKb = (before: number, after: number) => round(((after - before) * 1024) / d.emails.length);
  const heapKbPerSocket = heapBeforeMb === null || heapAfterMb === null ? null : perSocketKb(heapBeforeMb, heapAfterMb);
  const rssKbPerSocket = perSocketKb(rssBeforeMb, rssAfterMb);
  d.log(`API JS memory (heap + external) ${heapBeforeMb === null ? '?' : round(heapBeforeMb)} MB → ${heapAfterMb === null ? '?' : round(heapAfterMb)} MB, RSS ${round(rssBeforeMb)} → ${round(rssAfterMb)} MB with ${d.emails.length} agent sockets: ${heapKbPerSocket} kB JS memory, ${rssKbPerSocket} kB RSS per socket`);

  // Leave nothing open for later phases.
  await agents.call('endConversations', { group: GROUP, concurrency: 8 }).catch(() => undefined);
  await agents.call('closeGroup', { group: GROUP });
  await Promise.all(visitors.map((v) => v.call('closeAll')));
  return {
    agents: d.emails.length, conversationsPerAgent: d.conversationsPerAgent,
    heapBeforeMb: heapBeforeMb === null ? null : round(heapBeforeMb), heapAfterMb: heapAfterMb === null ? null : round(heapAfterMb), heapKbPerSocket,
    rssBeforeMb: round(rssBeforeMb), rssAfterMb: round(rssAfterMb), rssKbPerSocket, openSeconds, openFailed: opened.reduce((n, o) => n + o.failed, 0),
    watched: [watchedFirst, watchedAgain],
  };
}
