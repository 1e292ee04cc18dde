import type { ConversationInput, ConversationSnapshot } from '../conversation/state.js';
import type { DispatcherWorkflow } from './dispatcher-workflow.js';

/**
 * The workflow types the worker registers, by name, as their callers start them. `workflows/index.ts`
 * checks its functions against this, so callers type their starts without importing workflow code (no
 * import cycle through `workflows/`), and a renamed function or changed input fails to compile.
 */
export interface WorkflowContracts {
  conversationWorkflow: (input: ConversationInput) => Promise<ConversationSnapshot>;
  dispatcherWorkflow: DispatcherWorkflow;
}
