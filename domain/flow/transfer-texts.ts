/**
 * Defaults of the flow settings `transferText` and `transferToTeamText` (issue 18): today's English, each
 * name said once. Here, not in settings.ts, because the conversation machine (workflow code) reads them and
 * must not load zod.
 */
export const DEFAULT_TRANSFER_TEXT = 'You have been transferred to ${agentName}.';
export const DEFAULT_TRANSFER_TO_TEAM_TEXT = 'You are being transferred to ${teamName}. Please wait for the next available agent.';
