import { DEFAULT_TEXTS } from './default-texts.js';

/**
 * Defaults of the flow settings `transferText`, `transferToTeamText` and `otherTeamName` (issues 18, 19), per
 * locale. Applied in the conversation machine (workflow code), not by the schema: conversations started
 * before these settings existed say the same default text on replay.
 */
export const DEFAULT_TRANSFER_TEXT = DEFAULT_TEXTS.transferText;
export const DEFAULT_TRANSFER_TO_TEAM_TEXT = DEFAULT_TEXTS.transferToTeamText;
export const DEFAULT_OTHER_TEAM_NAME = DEFAULT_TEXTS.otherTeamName;
