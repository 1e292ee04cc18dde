export { conversationWorkflow } from './conversation/workflow.js';
export { dispatcherWorkflow } from './dispatcher/workflow.js';
