import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

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

/** Typed keys for the attributes above (workflow upserts, client queries and start options). */
export const SA = {
  status: defineSearchAttributeKey('ParleyStatus', SearchAttributeType.KEYWORD),
  agent: defineSearchAttributeKey('ParleyAgent', SearchAttributeType.KEYWORD),
  team: defineSearchAttributeKey('ParleyTeam', SearchAttributeType.KEYWORD),
  visitor: defineSearchAttributeKey('ParleyVisitor', SearchAttributeType.KEYWORD),
  flowId: defineSearchAttributeKey('ParleyFlowId', SearchAttributeType.KEYWORD),
  flowVersion: defineSearchAttributeKey('ParleyFlowVersion', SearchAttributeType.INT),
  channel: defineSearchAttributeKey('ParleyChannel', SearchAttributeType.KEYWORD),
};
