import type { ChannelAvailability } from '../../domain/availability';
import { t } from '../common/i18n';
import { typicalReplyText } from '../common/waitTexts';

/**
 * Issue 19: a channel's availability in words, the same in the chat's header and on the widget's launcher:
 * its state ("Online", "Closed now") and a detail ("Typically replies in 3 minutes", "You can leave us a message.";
 * '' when the reply time is unknown).
 */
export function availabilityTexts(a: ChannelAvailability): { state: string; detail: string } {
  return {
    state: a.reason === 'outOfHours' ? t('visitor.availability.outOfHours') : t(`visitor.availability.${a.status}`),
    detail: a.status === 'offline' ? t('visitor.availability.offlineHint') : typicalReplyText(a.typicalReplySec),
  };
}
