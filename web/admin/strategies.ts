import { en } from '../common/i18n/locales/en';
import { texts } from '../common/i18n/texts';
import type { AssignmentStrategy } from '../common/types';

/** The routing strategies an admin picks from (teams, routing settings), in the catalogue's order. */
export const STRATEGY_LABELS = texts('admin.strategies', en.admin.strategies);
export const STRATEGIES = Object.keys(en.admin.strategies) as AssignmentStrategy[];
