import type { ChildProcess } from 'node:child_process';

function send(child: ChildProcess, sig: NodeJS.Signals, group: boolean): void {
  try {
    // A negative pid addresses the whole process group of a `detached` child.
    if (group && child.pid) process.kill(-child.pid, sig);
    else child.kill(sig);
  } catch {
    // already gone
  }
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once `exited` settles.
 * SIGTERM goes to the child only (a wrapper such as tsx relays it; signalling the group as well
 * would deliver it twice). With `group` (a `detached` child) SIGKILL hits the whole process
 * group, so no grandchild outlives a hung or already finished process.
 */
export async function stopChild(
  child: ChildProcess,
  exited: Promise<unknown>,
  { graceMs, group = false }: { graceMs: number; group?: boolean },
): Promise<void> {
  if (child.pid && child.exitCode === null && child.signalCode === null) {
    send(child, 'SIGTERM', false);
    const timer = setTimeout(() => send(child, 'SIGKILL', group), graceMs);
    await exited;
    clearTimeout(timer);
  }
  if (group) send(child, 'SIGKILL', true);
}
