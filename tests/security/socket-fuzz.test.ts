/**
 * Issue 5: generated bad payloads for every client→server socket event (tests/security/events.ts),
 * sent on visitor, agent and admin connections. Seeded: FUZZ_SEED and FUZZ_RUNS override.
 */
import fs from 'node:fs';
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileString, invalidValue, unstorableValue, validValue } from './lib/arbitraries.js';
import { diff, settled, snapshot } from './lib/db-snapshot.js';
import { send } from './lib/http.js';
import type { JsonSchema } from './lib/openapi.js';
import { conversationHeldBy, staff } from './lib/principals.js';
import { emitRaw, errorAckProblem, rawConnect, stillServes } from './lib/socket.js';
import { CLIENT_EVENT_NAMES, CLIENT_EVENTS, type ClientEvent } from './events.js';
import type { StaffClient, VisitorClient } from '../helpers/clients.js';
import { startStack, type Stack } from '../helpers/stack.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_05);
const RUNS = 2 * Number(process.env.FUZZ_RUNS ?? 24); // emits are cheap
/** Below the server's maxHttpBufferSize (64 kB): bigger frames close the connection by design (tested on its own). */
const MAX_FRAME = 60 * 1024;

type Role = 'visitor' | 'staff';
interface SocketCase { kind: string; args: unknown[]; withAck: boolean; why: string }

const schemaOf = (event: ClientEvent) => z.toJSONSchema(CLIENT_EVENTS[event].payload, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
const fits = (c: SocketCase) => Buffer.byteLength(JSON.stringify(c.args) ?? '') < MAX_FRAME;

/** Bad ways to send `event`; on a connection of the wrong role even a valid payload is bad. */
function socketCases(event: ClientEvent, allowed: boolean): fc.Arbitrary<SocketCase> {
  const schema = schemaOf(event);
  const valid = validValue(schema);
  const acceptsEmpty = CLIENT_EVENTS[event].payload.safeParse({}).success;
  const bad = fc.oneof(...[invalidValue(schema), unstorableValue(schema)].filter((a): a is NonNullable<typeof a> => a !== null));
  const kinds: Array<fc.WeightedArbitrary<SocketCase>> = [
    { weight: 4, arbitrary: bad.map((b) => ({ kind: 'bad payload', args: [b.value], withAck: true, why: b.why })) },
    { weight: 1, arbitrary: bad.map((b) => ({ kind: 'bad payload, no ack', args: [b.value], withAck: false, why: b.why })) },
    // A valid payload followed by extra arguments is refused before any handler runs.
    { weight: 1, arbitrary: fc.tuple(valid, fc.array(fc.oneof(hostileString, fc.integer(), fc.constant(null), fc.constant({})), { minLength: 1, maxLength: 3 }))
      .map(([p, extra]) => ({ kind: 'extra args', args: [p, ...extra], withAck: true, why: `${extra.length} extra` })) },
    // A last argument that is not a function is no ack: nothing answers, and nothing may happen.
    { weight: 1, arbitrary: fc.tuple(valid, fc.oneof(hostileString, fc.integer(), fc.constant(true), fc.constant({ ack: true })))
      .map(([p, notAck]) => ({ kind: 'non-function ack', args: [p, notAck], withAck: false, why: typeof notAck })) },
  ];
  if (!acceptsEmpty) kinds.push({ weight: 1, arbitrary: fc.constant({ kind: 'missing payload', args: [], withAck: true, why: 'no payload' }) });
  if (!allowed) kinds.push({ weight: 4, arbitrary: valid.map((p) => ({ kind: 'wrong role', args: [p], withAck: true, why: 'valid payload' })) });
  return fc.oneof(...kinds).filter(fits);
}

describe('socket fuzzing: every client event refuses bad payloads and the connection stays usable', () => {
  let stack: Stack;
  let visitor: VisitorClient;
  let team: { alice: StaffClient; bob: StaffClient; admin: StaffClient };
  let principals: Array<{ name: string; role: Role; socket: Socket }>;
  const disconnects = new Map<string, number>();

  beforeAll(async () => {
    stack = await startStack();
    team = await staff(stack.baseUrl);
    visitor = await conversationHeldBy(stack.baseUrl, team.alice, 'Socket Fuzz Visitor');
    principals = [
      { name: 'visitor', role: 'visitor', socket: visitor.socket },
      { name: 'agent', role: 'staff', socket: team.alice.socket },
      { name: 'admin', role: 'staff', socket: team.admin.socket },
    ];
    for (const p of principals) p.socket.on('disconnect', () => disconnects.set(p.name, (disconnects.get(p.name) ?? 0) + 1));
  });
  afterAll(async () => {
    visitor?.close();
    for (const c of Object.values(team ?? {})) c.close();
    await stack?.stop();
  });

  it('lists exactly the events of ClientToServerEvents', () => {
    const source = fs.readFileSync(new URL('../../domain/contracts/events.ts', import.meta.url), 'utf8');
    const body = /export interface ClientToServerEvents \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? '';
    const declared = [...body.matchAll(/^\s*'([^']+)'\s*:/gm)].map((m) => m[1]);
    expect(declared.length).toBeGreaterThan(0);
    expect([...CLIENT_EVENT_NAMES].sort()).toEqual([...declared].sort());
  });

  it('answers every generated bad emit with an error ack (or silence without an ack) and writes nothing', async () => {
    const failures: string[] = [];
    const counts = new Map<string, number>();
    let tried = 0;
    const started = Date.now();
    await settled(stack.database.pool);
    for (const event of CLIENT_EVENT_NAMES) {
      for (const p of principals) {
        const allowed = CLIENT_EVENTS[event].role === p.role;
        const before = await snapshot(stack.database.pool);
        const result = await fc.check(fc.asyncProperty(socketCases(event, allowed), async (c) => {
          tried++;
          counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
          if (c.withAck) {
            const ack = await emitRaw(p.socket, event, c.args);
            const problem = errorAckProblem(ack) ?? (!allowed && ack.acked && ack.res.error.code !== 'forbidden' ? `wrong role answered ${JSON.stringify(ack.res.error)}` : null);
            if (problem) throw new Error(`${c.kind} (${c.why}): ${problem}`);
          } else {
            p.socket.emit(event, ...c.args);
          }
          if (!p.socket.connected) throw new Error(`${c.kind} (${c.why}): the server dropped the connection`);
        }), { seed: SEED, numRuns: allowed ? RUNS : Math.ceil(RUNS / 3), endOnFailure: true });
        if (result.failed) failures.push(`${event} as ${p.name}: ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)} (seed ${SEED}, path ${result.counterexamplePath}; args ${JSON.stringify(result.counterexample?.[0]?.args)?.slice(0, 300)})`);
        // Ack-less emits are handled asynchronously: a round trip on the same connection lets them finish.
        if (!(await stillServes(p.socket))) failures.push(`${event} as ${p.name}: connection no longer answers`);
        const changed = diff(before, await snapshot(stack.database.pool));
        if (changed) failures.push(`${event} as ${p.name}: refused emits changed the database: ${changed}`);
      }
    }
    // Event names that no handler knows, on every connection.
    for (const p of principals) {
      const result = await fc.check(fc.asyncProperty(hostileString.filter((n) => !/^(connect|connect_error|disconnect|disconnecting|newListener|removeListener)$/.test(n) && !(n in CLIENT_EVENTS)), async (name) => {
        tried++;
        counts.set('unknown event', (counts.get('unknown event') ?? 0) + 1);
        const problem = errorAckProblem(await emitRaw(p.socket, name, [{}]));
        if (problem) throw new Error(`unknown event ${JSON.stringify(name)}: ${problem}`);
      }), { seed: SEED, numRuns: RUNS });
      if (result.failed) failures.push(`unknown events as ${p.name}: ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}`);
    }
    for (const p of principals) if (disconnects.get(p.name)) failures.push(`${p.name} was disconnected ${disconnects.get(p.name)} time(s)`);
    console.log(`[socket-fuzz] ${tried} bad emits over ${CLIENT_EVENT_NAMES.length} events × ${principals.length} connections in ${Date.now() - started} ms (seed ${SEED}); by kind: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect(failures).toEqual([]);
  }, 180_000);

  it('drops a connection that sends frames over 64 kB or broken packets, and nothing else suffers', async () => {
    const before = await snapshot(stack.database.pool);
    let tried = 0;
    const raw: Array<[string, (s: Socket) => void]> = [
      ['70 kB payload', (s) => s.emit('visitor:message', { clientId: crypto.randomUUID(), text: 'x'.repeat(70 * 1024) })],
      ['reserved event name', (s) => (s.io as any).engine.write('42["disconnect",{}]')],
      ['truncated packet', (s) => (s.io as any).engine.write('42["visitor:message",{')],
      ['non-array event packet', (s) => (s.io as any).engine.write('42{"a":1}')],
      ['unknown packet type', (s) => (s.io as any).engine.write('49["x"]')],
    ];
    for (const [what, act] of raw) {
      tried++;
      const { socket, error } = await rawConnect(stack.baseUrl, { token: visitor.token });
      expect(error, what).toBeUndefined();
      const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
      act(socket);
      const reason = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still connected'), 5_000))]);
      expect(reason, what).not.toBe('still connected');
      socket.close();
    }
    expect((await send(stack.baseUrl, { method: 'GET', path: '/api/health' })).status).toBe(200);
    for (const p of principals) expect(await stillServes(p.socket), p.name).toBe(true);
    const fresh = await rawConnect(stack.baseUrl, { token: visitor.token });
    expect(fresh.error).toBeUndefined();
    expect(await stillServes(fresh.socket)).toBe(true);
    fresh.socket.close();
    expect(diff(before, await snapshot(stack.database.pool))).toBe('');
    console.log(`[socket-fuzz] ${tried} connection-killing frames: each dropped only its own connection`);
  });
});
