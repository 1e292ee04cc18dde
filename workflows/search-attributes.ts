import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Typed keys for the attributes declared in domain/search-attributes.ts. */
export const SA = {
  status: defineSearchAttributeKey('ParleyStatus', SearchAttributeType.KEYWORD),
  agent: defineSearchAttributeKey('ParleyAgent', SearchAttributeType.KEYWORD),
  team: defineSearchAttributeKey('ParleyTeam', SearchAttributeType.KEYWORD),
  visitor: defineSearchAttributeKey('ParleyVisitor', SearchAttributeType.KEYWORD),
  flowId: defineSearchAttributeKey('ParleyFlowId', SearchAttributeType.KEYWORD),
  flowVersion: defineSearchAttributeKey('ParleyFlowVersion', SearchAttributeType.INT),
  channel: defineSearchAttributeKey('ParleyChannel', SearchAttributeType.KEYWORD),
};

/**
 * Conversations started under this patch take their search attributes and memo from the start request
 * (api/services/conversations.ts) and upsert status, agent and team only when they change.
 */
export const ATTRIBUTES_FROM_START_PATCH = 'attributes-from-start';
