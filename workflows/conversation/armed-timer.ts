import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/** Conversations started (or continuing) under this patch wait on one armed timer (ArmedTimer). */
export const ONE_ARMED_TIMER_PATCH = 'one-armed-timer';

/**
 * One durable timer kept armed across the conversation loop's waits. A deadline that moves later (each
 * visitor answer pushes the idle deadline) keeps the armed timer, which then fires early and is re-armed;
 * only an earlier deadline replaces it. Waiting with a fresh timeout instead started a timer on every
 * wait and cancelled it on every wake-up: two history events and two timer writes per visitor answer.
 */
export class ArmedTimer {
  private armed: { at: number; fired: boolean; scope: CancellationScope } | null = null;

  /** Arms for `at` (epoch ms) unless an unfired timer due no later is armed; null disarms. */
  set(at: number | null): void {
    if (at !== null && this.armed && !this.armed.fired && this.armed.at <= at) return;
    if (this.armed && !this.armed.fired) this.armed.scope.cancel();
    this.armed = null;
    if (at === null) return;
    const armed = { at, fired: false, scope: new CancellationScope() };
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
