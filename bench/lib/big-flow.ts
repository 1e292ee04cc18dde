import type { FlowDefinitionInput } from '../../domain/flow/schema.js';

type Node = FlowDefinitionInput['nodes'][number];

/**
 * A valid service flow of exactly `size` nodes with no positions (the designer lays it out), shaped like a large
 * desk's: a welcome, a main menu of departments, and per department a menu whose items each say something, ask a
 * question and branch on the answer, with a hand-off and closing messages. Every node is reachable.
 */
export function bigFlow(size = 300): FlowDefinitionInput {
  const nodes: Node[] = [];
  const variables: string[] = [];
  const departments: string[] = [];
  const perDepartment = 16; // menu, 4 × (message, form, condition), hand-off, two ends
  const count = Math.max(1, Math.floor((size - 3) / perDepartment));
  for (let d = 0; d < count; d++) {
    const dep = `d${d}`;
    departments.push(dep);
    const items = [0, 1, 2, 3].map((i) => `${dep}-i${i}`);
    nodes.push({
      id: `${dep}-menu`, type: 'menu',
      config: { header: `Department ${d}: what is it about?`, items: items.map((id, i) => ({ id, content: `Topic ${i + 1} of department ${d}` })), maxRetries: 2 },
      edges: [...items.map((id) => ({ on: id, to: `${id}-say` })), { on: 'fallback', to: `${dep}-handoff` }],
    });
    for (const id of items) {
      const variable = `${id.replace(/-/g, '_')}_answer`;
      variables.push(variable);
      nodes.push({ id: `${id}-say`, type: 'message', config: { text: `Here is what we know about ${id}, \${visitorName}.` }, edges: [{ on: 'next', to: `${id}-ask` }] });
      nodes.push({
        id: `${id}-ask`, type: 'form',
        config: { prompt: 'Did that answer your question? (yes or no)', formType: 'text', variable, rules: [{ type: 'required', message: 'Please answer yes or no.' }], maxRetries: 2 },
        edges: [{ on: 'next', to: `${id}-check` }, { on: 'fallback', to: `${dep}-handoff` }],
      });
      nodes.push({
        id: `${id}-check`, type: 'condition', config: { all: [{ op: 'equals', variable, value: 'yes' }] },
        edges: [{ on: 'true', to: `${dep}-solved` }, { on: 'false', to: `${dep}-handoff` }],
      });
    }
    nodes.push({
      id: `${dep}-handoff`, type: 'handoff',
      config: { teamId: null, connecting: 'Connecting you to department ' + d + '…', connected: 'You are chatting with ${agentName}.', failed: 'Nobody is free right now.' },
      edges: [{ on: 'failed', to: `${dep}-sorry` }],
    });
    nodes.push({ id: `${dep}-solved`, type: 'end', config: { text: 'Glad we could help. Goodbye!' } });
    nodes.push({ id: `${dep}-sorry`, type: 'end', config: { text: 'Sorry we could not help today.' } });
  }
  const extra = size - 3 - nodes.length; // messages on the way to the main menu make up the exact size
  const chain = Array.from({ length: Math.max(0, extra) }, (_, i) => `intro-${i}`);
  const head: Node[] = [{ id: 'welcome', type: 'message', config: { text: 'Hi ${visitorName}, welcome!' }, edges: [{ on: 'next', to: chain[0] ?? 'main-menu' }] }];
  chain.forEach((id, i) => head.push({ id, type: 'message', config: { text: `Note ${i + 1} before we start.` }, edges: [{ on: 'next', to: chain[i + 1] ?? 'main-menu' }] }));
  head.push({
    id: 'main-menu', type: 'menu',
    config: { header: 'Which department?', items: departments.map((dep, i) => ({ id: dep, content: `Department ${i}` })), maxRetries: 2 },
    edges: [...departments.map((dep) => ({ on: dep, to: `${dep}-menu` })), { on: 'fallback', to: 'goodbye' }],
  });
  head.push({ id: 'goodbye', type: 'end', config: { text: 'Goodbye!' } });
  return { start: 'welcome', variables, nodes: [...head, ...nodes], settings: {} };
}
