import { operations as ops } from '../../client/operations.js';
import { restClient } from '../../client/rest.js';
import { summarize } from '../lib/stats.js';

/**
 * Canned-response lookup (issue 18): the request the agent's `/` picker sends while the agent types,
 * `GET /api/conversations/:id/canned-responses?q=…` (match, order, expand for the conversation), timed
 * end to end from a client over loopback, against an organisation list of `entries` responses imported
 * through the CSV import. One lookup at a time (one agent typing), then `concurrency` agents at once.
 * Why the server lookup and not a list loaded once and filtered in the browser: docs/performance.md.
 */
export interface CannedPhaseOptions {
  apiUrl: string;
  password: string;
  entries: number;
  samples: number;
  concurrency: number;
  log: (line: string) => void;
}

const WORDS = ['greeting', 'refund', 'delivery', 'invoice', 'password', 'opening', 'shipping', 'coupon', 'warranty', 'account', 'order', 'return'];

/** A CSV of `n` responses with shortcuts like `refund-0042`, titles, texts with variables and categories (some Chinese). */
export function cannedCsv(n: number): string {
  const rows = ['shortcut,title,text,category'];
  for (let i = 0; i < n; i++) {
    const word = WORDS[i % WORDS.length];
    const id = String(i).padStart(4, '0');
    rows.push(`${word}-${id},${word[0].toUpperCase()}${word.slice(1)} answer ${id},"Hello \${visitorName}, this is \${agentName} about your ${word} (${id}). ##dear##, anything else?",${i % 7 === 0 ? '常见问题' : `Topic ${i % 40}`}`);
  }
  return rows.join('\n');
}

/** What an agent types after `/`: empty, a word's first letters, a whole shortcut, or a title word. */
function query(i: number, n: number): string {
  const word = WORDS[i % WORDS.length];
  switch (i % 5) {
    case 0: return '';
    case 1: return word.slice(0, 1);
    case 2: return word.slice(0, 3);
    case 3: {
      const j = (i * 37) % n;
      return `${WORDS[j % WORDS.length]}-${String(j).padStart(4, '0')}`;
    }
    default: return 'answer';
  }
}

export async function cannedPhase(o: CannedPhaseOptions) {
  const anonymous = restClient(o.apiUrl);
  const { token } = await anonymous.call(ops.login, { body: { email: 'admin@parley.local', password: o.password } });
  const admin = restClient(o.apiUrl, { auth: { token: () => token } });
  const t0 = Date.now();
  const imported = await admin.call(ops.importCannedResponses, { params: { scope: 'org' }, body: cannedCsv(o.entries) });
  const importMs = Date.now() - t0;
  const total = (await admin.call(ops.listCannedResponses, { params: { scope: 'org', limit: 1 } })).total;
  o.log(`canned: ${total} organisation responses (import of ${o.entries} rows: ${JSON.stringify(imported)} in ${importMs} ms)`);

  // A real conversation to expand for; an admin may look up in any (an agent only in the ones they hold: the same query).
  const session = await anonymous.call(ops.createVisitorSession, { body: { displayName: 'Bench Visitor' } });
  const conversation = await anonymous.call(ops.startConversation, { body: {}, token: session.token });
  const lookup = async (i: number) => {
    const started = performance.now();
    const res = await admin.call(ops.lookupCannedResponses, { params: { id: conversation.id, q: query(i, o.entries), limit: 10 } });
    const ms = performance.now() - started;
    if (res.responses.length === 0 && query(i, o.entries) !== '') throw new Error(`canned lookup "${query(i, o.entries)}" found nothing`);
    return ms;
  };
  for (let i = 0; i < 50; i++) await lookup(i); // warm-up: connections, plans, JIT

  const sequential: number[] = [];
  for (let i = 0; i < o.samples; i++) sequential.push(await lookup(i));
  // The floor: the cheapest authenticated request (token check, one profile read) on the same path.
  const floor: number[] = [];
  for (let i = 0; i < Math.min(o.samples, 300); i++) {
    const started = performance.now();
    await admin.call(ops.getMe);
    floor.push(performance.now() - started);
  }
  const concurrent: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: o.concurrency }, async () => {
    while (next < o.samples) concurrent.push(await lookup(next++));
  }));
  return {
    entries: total, importMs, sequential: summarize(sequential), floorGetMe: summarize(floor), concurrent: { agents: o.concurrency, ...summarize(concurrent) },
  };
}
