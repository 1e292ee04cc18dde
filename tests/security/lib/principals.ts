import { staffClient, visitorClient, type StaffClient, type VisitorClient } from '../../helpers/clients.js';

/** A visitor whose conversation has shown the welcome and the menu and now waits (no background writes). */
export async function idleVisitor(baseUrl: string, name: string): Promise<VisitorClient> {
  const visitor = await visitorClient(baseUrl, name);
  await visitor.waitForBody('menu');
  return visitor;
}

/** A visitor whose conversation `agent` has accepted; the agent is then set `away` so it gets no more offers. */
export async function conversationHeldBy(baseUrl: string, agent: StaffClient, name: string): Promise<VisitorClient> {
  const visitor = await visitorClient(baseUrl, name);
  const menu = await visitor.waitForBody('menu');
  const talk = menu.items.find((i) => /agent/i.test(i.content)) ?? menu.items[0];
  const sent = await visitor.send(talk.content, talk.id);
  if (!sent.ok) throw new Error(`could not ask for an agent: ${JSON.stringify(sent)}`);
  const online = await agent.setStatus('online');
  if (!online.ok) throw new Error(`could not go online: ${JSON.stringify(online)}`);
  await agent.waitFor<{ conversationId: string }>('offer', (o) => o.conversationId === visitor.conversation.id);
  const accepted = await agent.accept(visitor.conversation.id);
  if (!accepted.ok) throw new Error(`could not accept: ${JSON.stringify(accepted)}`);
  await visitor.waitForBody('notice', (b) => b.text.includes('chatting with'));
  await agent.setStatus('away');
  return visitor;
}

export async function staff(baseUrl: string) {
  const [alice, bob, admin] = await Promise.all([
    staffClient(baseUrl, 'alice@parley.local'),
    staffClient(baseUrl, 'bob@parley.local'),
    staffClient(baseUrl, 'admin@parley.local'),
  ]);
  return { alice, bob, admin };
}
