// Zod-free: the conversation machine (workflow code) fills `${EstimatedWait}` with formatWaitText.

/**
 * The estimated wait of a visitor at `position` (1 = next): the ones ahead and this one, served in
 * parallel by the agents serving, each taking the recent median service time. Null without a median.
 */
export function estimateWaitSec(position: number, medianServiceSec: number | null, agentsServing: number): number | null {
  if (medianServiceSec === null || position < 1) return null;
  return Math.round((position * medianServiceSec) / Math.max(1, agentsServing));
}

/**
 * The `${EstimatedWait}` placeholder's English text (flow texts are English by default; the web apps
 * format `estimatedWaitSec` in the visitor's language themselves). '' when unknown.
 */
export function formatWaitText(sec: number | null): string {
  if (sec === null) return '';
  if (sec < 60) return 'less than a minute';
  const minutes = Math.round(sec / 60);
  if (minutes < 60) return minutes === 1 ? 'about a minute' : `about ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours === 1 ? 'about an hour' : `about ${hours} hours`;
}
