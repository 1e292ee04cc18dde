import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contrastRatio, labelColourFor, missingForClose, TagInputSchema } from '../../../domain/classification.js';
import { mentionsIn } from '../../../domain/notes.js';
import { validateFlow } from '../../../domain/flow/validate.js';
import { bodiesOf, Driver, inputOf } from '../conversation/driver.js';

const staff = [
  { id: 'b', nickname: 'Bob', email: 'bob@parley.local' },
  { id: 'bb', nickname: 'Bobby', email: 'bobby@parley.local' },
  { id: 'l', nickname: 'Li Wei', email: 'liwei@parley.local' },
  { id: 'z', nickname: '张伟', email: 'zhang@parley.local' },
];

describe('issue 18: mentions, tag colours, closing rules, transfer texts (pure)', () => {
  it('mentions: @nickname or @emailname, case-insensitive, whole words only', () => {
    const ids = (text: string) => mentionsIn(text, staff).map((s) => s.id);
    expect(ids('please check @bob')).toEqual(['b']);
    expect(ids('@BOBBY, can you?')).toEqual(['bb']);
    expect(ids('ask @Li Wei and @张伟')).toEqual(['l', 'z']);
    expect(ids('mail me at someone@bob.example')).toEqual([]); // an e-mail address is not a mention
    expect(ids('thanks @bob.')).toEqual(['b']);
  });

  it('every tag colour gets a label colour with at least 4.5:1 contrast (WCAG AA)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffff }), (n) => {
      const bg = `#${n.toString(16).padStart(6, '0')}`;
      expect(contrastRatio(bg, labelColourFor(bg))).toBeGreaterThanOrEqual(4.5);
    }));
    expect(TagInputSchema.safeParse({ name: 'x', colour: 'javascript:alert(1)' }).success).toBe(false);
    expect(TagInputSchema.parse({ name: ' VIP ', colour: '#ABCDEF' })).toEqual({ name: 'VIP', colour: '#abcdef' });
  });

  it('closing rules name what is missing', () => {
    expect(missingForClose({ tagRequired: true, callReasonRequired: true }, { tagCount: 0, callReasonId: null })).toEqual(['tag', 'callReason']);
    expect(missingForClose({ tagRequired: true, callReasonRequired: false }, { tagCount: 1, callReasonId: null })).toEqual([]);
    expect(missingForClose({ tagRequired: false, callReasonRequired: false }, { tagCount: 0, callReasonId: null })).toEqual([]);
  });

  it('the transfer texts come from the flow settings (defaults: today\'s text), each name once', () => {
    const flow = (settings: object) => ({
      start: 'q', nodes: [{ id: 'q', type: 'handoff' as const, config: { teamId: 'support' }, edges: [] }], settings,
    });
    const run = (settings: object) => {
      const d = new Driver(inputOf(flow(settings)));
      d.send({ type: 'started' });
      d.send({ type: 'assigned', agentId: 'alice', agentName: 'Alice', teamId: 'support' });
      const team = bodiesOf(d.send({ type: 'requeued', reason: 'transfer', teamId: 'sales', teamName: 'Sales' }));
      const agent = bodiesOf(d.send({ type: 'transferred', agentId: 'bob', agentName: 'Bob', teamId: 'sales' }));
      return [...team, ...agent];
    };
    expect(run({})).toEqual([
      { kind: 'transfer', text: 'You are being transferred to Sales. Please wait for the next available agent.', toTeamName: 'Sales' },
      { kind: 'transfer', text: 'You have been transferred to Bob.', toAgentName: 'Bob' },
    ]);
    expect(run({ transferText: '${agentName} 为您服务', transferToTeamText: 'Un momento: ${teamName}' })).toEqual([
      { kind: 'transfer', text: 'Un momento: Sales', toTeamName: 'Sales' },
      { kind: 'transfer', text: 'Bob 为您服务', toAgentName: 'Bob' },
    ]);
    // Checked at publish like every text: ${teamName} only in the team text.
    const problems = (settings: object) => {
      const v = validateFlow(flow(settings));
      return v.ok ? [] : v.problems.map((p) => p.code);
    };
    expect(problems({ transferText: 'to ${teamName}' })).toContain('undeclared_variable');
    expect(problems({ transferToTeamText: 'to ${teamName}', transferText: 'to ${agentName}' })).toEqual([]);
  });
});
