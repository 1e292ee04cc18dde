import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { conversations, teams } from '../../../db/schema.js';
import { saveDispatcherSettings } from '../../../db/settings.js';
import { DEFAULT_DISPATCHER_SETTINGS } from '../../../domain/desk/state.js';
import { DEFAULT_FLOW } from '../../../domain/flow/default-flow.js';
import type { FlowDefinitionInput } from '../../../domain/flow/schema.js';
import { http, staffClient, visitorClient } from '../../helpers/clients.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { dispatcherStateQuery, settingsChangedSignal } from '../../../domain/contracts/dispatcher-workflow.js';

/** The default flow, with its hand-off pointed at `teamId`: a failed hand-off offers to leave a note. */
function defaultFlowFor(teamId: string | null): FlowDefinitionInput {
  return { ...DEFAULT_FLOW, nodes: DEFAULT_FLOW.nodes.map((n) => (n.type === 'handoff' ? { ...n, config: { ...n.config, teamId } } : n)) };
}

describe('hand-off that cannot succeed follows the flow\'s "failed" branch', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ flow: defaultFlowFor('nobody-here') });
    await stack.database.db.insert(teams).values({ id: 'nobody-here', name: 'Nobody Here' });
  });
  afterAll(async () => { await stack?.stop(); });

  it('a team without members fails at once with the failed prompt, then offers to leave a note', async () => {
    const visitor = await visitorClient(stack.baseUrl, 'Lonely');
    const menu = await visitor.waitForBody('menu');
    await visitor.send('Talk to an agent', menu.items.find((i) => i.content === 'Talk to an agent')!.id);
    await visitor.waitForBody('notice', (b) => b.text.includes('none of our agents is available'));
    const note = await visitor.waitForBody('menu', (b) => b.header.includes('leave a message'));
    expect(note.items.length).toBeGreaterThan(0);
    const [row] = await stack.database.db.select().from(conversations).where(eq(conversations.id, visitor.conversation.id));
    expect(row.status).toBe('bot');
    const snapshot = await stack.temporal.workflow.getHandle(`dispatcher-${stack.deskId}`).query(dispatcherStateQuery).catch(() => null);
    expect(snapshot?.queue.some((e) => e.conversationId === visitor.conversation.id) ?? false).toBe(false);
    visitor.close();
  });

  it('with "fail when nobody is signed in", an empty desk fails the hand-off; a signed-in agent makes it queue', async () => {
    const settings = { ...DEFAULT_DISPATCHER_SETTINGS, handoffFailsWhenNobodyOnline: true };
    await saveDispatcherSettings(stack.database.db, settings);
    await stack.temporal.workflow.getHandle(`dispatcher-${stack.deskId}`).signal(settingsChangedSignal, settings).catch(() => undefined);
    // the team gets a member who is offline: still nobody signed in
    const admin = await staffClient(stack.baseUrl, 'admin@parley.local');
    const agents = await http<{ agents: Array<{ id: string; email: string }> }>(stack.baseUrl, 'GET', '/api/agents', { token: admin.token });
    const bob = agents.body.agents.find((a) => a.email === 'bob@parley.local')!;
    expect((await http(stack.baseUrl, 'PATCH', `/api/agents/${bob.id}`, { token: admin.token, body: { teamIds: ['nobody-here'] } })).status).toBe(200);

    const first = await visitorClient(stack.baseUrl, 'Early bird');
    const menu = await first.waitForBody('menu');
    await first.send('Talk to an agent', menu.items.find((i) => i.content === 'Talk to an agent')!.id);
    await first.waitForBody('notice', (b) => b.text.includes('none of our agents is available'));

    const bobSocket = await staffClient(stack.baseUrl, 'bob@parley.local');
    await bobSocket.setStatus('away', 'Lunch');
    const second = await visitorClient(stack.baseUrl, 'Later');
    const menu2 = await second.waitForBody('menu');
    await second.send('Talk to an agent', menu2.items.find((i) => i.content === 'Talk to an agent')!.id);
    const queued = await second.waitForBody('queue');
    expect(queued.position).toBe(1);
    for (const c of [first, second, bobSocket, admin]) c.close();
  });
});
