/** Workflow ids (kept free of zod so workflow code can import them without bundling it). */
export const conversationWorkflowId = (conversationId: string) => `conversation-${conversationId}`;
