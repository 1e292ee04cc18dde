import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { operations as ops } from '../../client/operations.js';
import { restClient } from '../../client/rest.js';
import { summarize } from '../lib/stats.js';

/**
 * The visitor's chat (issue 19): the transcript download of a long conversation (`messages` stored
 * messages, written straight into PostgreSQL), timed end to end from a client over loopback, and the
 * pre-chat form's submit (validation, the profile update with its audit, the submission row).
 */
export interface TranscriptPhaseOptions {
  apiUrl: string;
  databaseUrl: string;
  password: string;
  messages: number;
  samples: number;
  prechatSamples: number;
  log: (line: string) => void;
}

export async function transcriptPhase(o: TranscriptPhaseOptions) {
  const anonymous = restClient(o.apiUrl);
  const { token: adminToken } = await anonymous.call(ops.login, { body: { email: 'admin@parley.local', password: o.password } });
  const admin = restClient(o.apiUrl, { auth: { token: () => adminToken } });
  const channel = 'web';
  const session = await anonymous.call(ops.createVisitorSession, { body: { displayName: 'Bench Transcript' } });
  const visitor = restClient(o.apiUrl, { auth: { token: () => session.token } });
  const conversation = await visitor.call(ops.startConversation, { body: { channel } });

  const db = new pg.Client({ connectionString: o.databaseUrl });
  await db.connect();
  try {
    const values: string[] = [];
    const params: unknown[] = [];
    for (let i = 0; i < o.messages; i++) {
      const sender = i % 2 === 0 ? 'visitor' : 'agent';
      params.push(randomUUID(), conversation.id, sender, JSON.stringify({ kind: 'text', text: `Message ${i}: where is my parcel, and when will it arrive? 包裹什么时候到？` }), `bench-${i}`);
      const b = i * 5;
      values.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}::jsonb, $${b + 5})`);
      if (values.length === 1000 || i === o.messages - 1) {
        await db.query(`insert into messages (id, conversation_id, sender, body, client_id) values ${values.join(', ')}`, params);
        values.length = 0;
        params.length = 0;
      }
    }
  } finally {
    await db.end();
  }

  const download = async () => {
    const started = performance.now();
    const text = await visitor.call(ops.downloadTranscript, { params: { id: conversation.id } });
    const ms = performance.now() - started;
    if (!text.includes(`Message ${o.messages - 1}:`)) throw new Error('the transcript misses the last message');
    return { ms, bytes: Buffer.byteLength(text) };
  };
  for (let i = 0; i < 5; i++) await download(); // warm-up
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < o.samples; i++) {
    const r = await download();
    times.push(r.ms);
    bytes = r.bytes;
  }

  // Pre-chat submits (the form switched on for the channel, after the conversation above started), each by a fresh visitor.
  await admin.call(ops.savePrechatForm, {
    params: { channel },
    body: {
      enabled: true, consent: { show: true, text: 'I agree.' },
      fields: [{ id: 'topic', label: 'Topic', type: 'select', options: ['Billing', 'Delivery'], required: true }],
    },
  });
  const submits: number[] = [];
  for (let i = 0; i < o.prechatSamples; i++) {
    const s = await anonymous.call(ops.createVisitorSession, { body: {} });
    const started = performance.now();
    await anonymous.call(ops.submitVisitorPrechat, {
      token: s.token, body: { channel, name: `Visitor ${i}`, email: `v${i}@example.com`, consent: true, fields: { topic: 'Billing' } },
    });
    submits.push(performance.now() - started);
  }
  return { messages: o.messages, transcriptBytes: bytes, download: summarize(times), prechatSubmit: summarize(submits) };
}
