import { condition, defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';

const acts = proxyActivities<{ note(n: number): Promise<number> }>({ startToCloseTimeout: '10s' });
export const roundsQuery = defineQuery<number>('rounds');

/** Like the dispatcher: each round reads the clock, starts a fire-and-forget activity and a deadline timer. */
export async function clockWorkflow(): Promise<number[]> {
  const seen: number[] = [];
  setHandler(roundsQuery, () => seen.length);
  for (let round = 0; round < 3; round++) {
    seen.push(Date.now());
    void acts.note(round).catch(() => undefined);
    await condition(() => false, 4_000);
  }
  return seen;
}
