import { t } from './i18n';

type Keys = { underMinute: string; minutes: string; hours: string };

/** A duration as the catalogue's "under a minute" / "{n} minutes" / "{n} hours" (issue 19's reply and wait times). */
function durationText(sec: number, keys: Keys): string {
  if (sec < 60) return t(keys.underMinute);
  const minutes = Math.round(sec / 60);
  if (minutes < 60) return t(keys.minutes, { n: minutes }, minutes);
  const hours = Math.round(minutes / 60);
  return t(keys.hours, { n: hours }, hours);
}

/** "Typically replies in …", or '' when unknown. */
export const typicalReplyText = (sec: number | null): string => (sec === null ? '' : durationText(sec, {
  underMinute: 'visitor.availability.typicallyUnderMinute', minutes: 'visitor.availability.typicallyMinutes', hours: 'visitor.availability.typicallyHours',
}));

/** "Estimated wait: …", or '' when unknown. */
export const estimatedWaitText = (sec: number | null | undefined): string => (sec == null ? '' : durationText(sec, {
  underMinute: 'visitor.availability.estimatedWaitUnderMinute', minutes: 'visitor.availability.estimatedWaitMinutes', hours: 'visitor.availability.estimatedWaitHours',
}));
