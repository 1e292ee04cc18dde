import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Typed keys for the attributes declared in shared/search-attributes.ts. */
export const SA = {
  status: defineSearchAttributeKey('ParleyStatus', SearchAttributeType.KEYWORD),
  agent: defineSearchAttributeKey('ParleyAgent', SearchAttributeType.KEYWORD),
  team: defineSearchAttributeKey('ParleyTeam', SearchAttributeType.KEYWORD),
  visitor: defineSearchAttributeKey('ParleyVisitor', SearchAttributeType.KEYWORD),
  flowId: defineSearchAttributeKey('ParleyFlowId', SearchAttributeType.KEYWORD),
  flowVersion: defineSearchAttributeKey('ParleyFlowVersion', SearchAttributeType.INT),
  channel: defineSearchAttributeKey('ParleyChannel', SearchAttributeType.KEYWORD),
};
