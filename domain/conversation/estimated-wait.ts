// Zod-free: the conversation machine (workflow code) fills `${EstimatedWait}` with formatWaitText.

/**
 * The estimated wait of a visitor at `position` (1 = next): the ones ahead and this one, served in
 * parallel by the agents serving, each taking the recent median service time. Null without a median.
 */
export function estimateWaitSec(position: number, medianServiceSec: number | null, agentsServing: number): number | null {
  if (medianServiceSec === null || position < 1) return null;
  return Math.round((position * medianServiceSec) / Math.max(1, agentsServing));
}

/** The `${EstimatedWait}` words per locale (the web apps format `estimatedWaitSec` from their own catalogue). */
const WAIT_WORDS = {
  en: { underMinute: 'less than a minute', minute: 'about a minute', minutes: (n: number) => `about ${n} minutes`, hour: 'about an hour', hours: (n: number) => `about ${n} hours` },
  'zh-CN': { underMinute: '不到 1 分钟', minute: '约 1 分钟', minutes: (n: number) => `约 ${n} 分钟`, hour: '约 1 小时', hours: (n: number) => `约 ${n} 小时` },
};

/**
 * The `${EstimatedWait}` placeholder's text in the conversation's locale (English when it has none or another
 * one; the English words are what recorded histories replay, keep them). '' when unknown.
 */
export function formatWaitText(sec: number | null, locale?: string | null): string {
  if (sec === null) return '';
  const w = locale?.toLowerCase().startsWith('zh') ? WAIT_WORDS['zh-CN'] : WAIT_WORDS.en;
  if (sec < 60) return w.underMinute;
  const minutes = Math.round(sec / 60);
  if (minutes < 60) return minutes === 1 ? w.minute : w.minutes(minutes);
  const hours = Math.round(minutes / 60);
  return hours === 1 ? w.hour : w.hours(hours);
}
