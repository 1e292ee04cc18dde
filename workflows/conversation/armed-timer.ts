import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/**
 * One durable timer kept armed across the conversation loop's waits. When the same deadline moves later
 * (each visitor answer pushes the idle deadline), the armed timer stays, fires early and is re-armed.
 * A different deadline (the close turning the chat check into the rating window) or an earlier one
 * replaces it, so a closed conversation is not woken by its old chat timers. Waiting with a fresh
 * timeout instead started a timer on every wait and cancelled it on every wake-up: two history events
 * and two timer writes per visitor answer.
 */
export class ArmedTimer {
  private armed: { kind: string; at: number; fired: boolean; scope: CancellationScope } | null = null;

  /** Arms for `timer` unless an unfired timer of the same kind, due no later, is armed; null disarms. */
  set(timer: { kind: string; at: number } | null): void {
    const current = this.armed;
    if (timer && current && !current.fired && current.kind === timer.kind && current.at <= timer.at) return;
    if (current && !current.fired) current.scope.cancel();
    this.armed = null;
    if (!timer) return;
    const { kind, at } = timer;
    const armed = { kind, at, fired: false, scope: new CancellationScope() };
    armed.scope.run(() => sleep(Math.max(1, at - Date.now()))).then(
      () => { armed.fired = true; },
      (err: unknown) => { if (!isCancellation(err)) throw err; },
    );
    this.armed = armed;
  }

  /** True once the armed timer fired; the next `set` arms a new one. */
  get fired(): boolean {
    return this.armed?.fired ?? false;
  }
}
