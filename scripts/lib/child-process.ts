import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { stopChild } from './processes.js';

export interface ManagedChild {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit description once the process has exited. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

function prefixLines(stream: NodeJS.ReadableStream, prefix: string, out: NodeJS.WriteStream): void {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${prefix}${line}\n`));
}

/**
 * Spawns a long-running child in its own process group (so a terminal Ctrl-C reaches only us and
 * we decide the shutdown order), with every output line prefixed by `[name] `.
 */
export function spawnPrefixed(name: string, command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): ManagedChild {
  const child = spawn(command, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  prefixLines(child.stdout, `[${name}] `, process.stdout);
  prefixLines(child.stderr, `[${name}] `, process.stderr);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
    child.once('error', (err) => resolve(`spawn error: ${err.message}`));
  });
  const killOnExit = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', killOnExit);
  const stop = async () => {
    await stopChild(child, exited, { graceMs: 10_000, group: true });
    process.off('exit', killOnExit);
  };
  return { name, child, exited, stop };
}
