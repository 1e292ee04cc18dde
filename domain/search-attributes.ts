/** Parley's custom search attributes, registered when the dev server starts and kept current by the workflow. */
export const SEARCH_ATTRIBUTES = {
  ParleyStatus: 'Keyword',
  ParleyAgent: 'Keyword',
  ParleyTeam: 'Keyword',
  ParleyVisitor: 'Keyword',
  ParleyFlowId: 'Keyword',
  ParleyFlowVersion: 'Int',
  ParleyChannel: 'Keyword',
} as const;
export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTES;
