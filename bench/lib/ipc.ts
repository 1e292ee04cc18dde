/**
 * Client processes for the benchmark: each `bench/clients/*.ts` runs as its own Node process
 * (`node --import tsx`), so load generation never shares an event loop with the orchestrator or
 * the stack. Commands go over the IPC channel; answers (latency samples, counts) come back on it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Request { id: number; cmd: string; args: unknown }
type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string } | { event: string; data: unknown };

export interface ClientProcess {
  name: string;
  pid: number;
  call<T = unknown>(cmd: string, args?: unknown): Promise<T>;
  /** Progress events the client pushes with `emit` while a command runs. */
  on(event: string, listener: (data: any) => void): void;
  stop(): Promise<void>;
}

export async function startClient(script: string, name: string, env: Record<string, string> = {}): Promise<ClientProcess> {
  const child: ChildProcess = fork(path.join(BENCH_DIR, 'clients', script), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_CLIENT_NAME: name, ...env },
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void; cmd: string }>();
  const listeners = new Map<string, Array<(data: any) => void>>();
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`client ${name} exited (${signal ?? code}) during "${p.cmd}"`));
    pending.clear();
    resolve();
  }));
  child.on('message', (msg: Response) => {
    if ('event' in msg) {
      for (const l of listeners.get(msg.event) ?? []) l(msg.data);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(`${name} ${p.cmd}: ${msg.error}`));
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const handle: ClientProcess = {
    name,
    pid: child.pid!,
    call(cmd, args) {
      if (exited) return Promise.reject(new Error(`client ${name} is not running`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, cmd });
        child.send({ id, cmd, args } satisfies Request);
      });
    },
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
  await handle.call('ping');
  return handle;
}

/** In a client process: answers the orchestrator's commands. */
export function serve(handlers: Record<string, (args: any) => unknown>): void {
  const send = (msg: Response) => { if (process.connected) process.send!(msg); };
  handlers.ping ??= () => 'pong';
  // Answers every command, failures included: the handler's promise never rejects.
  process.on('message', (req: Request) => void (async () => {
    try {
      const handler = handlers[req.cmd];
      if (!handler) throw new Error(`unknown command ${req.cmd}`);
      send({ id: req.id, ok: true, result: await handler(req.args) });
    } catch (err) {
      send({ id: req.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  })());
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

/** In a client process: a progress event for the orchestrator. */
export function emit(event: string, data: unknown): void {
  if (process.connected) process.send!({ event, data });
}
