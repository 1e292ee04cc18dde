import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW } from '../../../domain/flow/default-flow.js';
import { FlowDefinitionSchema, type FlowDefinition } from '../../../domain/flow/schema.js';
import { describeFailure, runScenario, scriptOf } from '../../../domain/flow/scenarios.js';
import { ScenarioScriptSchema, type ScenarioScript } from '../../../domain/flow/scenario-schema.js';
import { FlowSimulation, stubbedHttpOutcome } from '../../../domain/flow/simulation.js';
import { end, flowOf, NOW, say } from './helpers.js';

/** Issue 20: the preview's simulated conversation and the scenario runner, over the engine the workflows run. */

const defaultFlow = (): FlowDefinition => FlowDefinitionSchema.parse(structuredClone(DEFAULT_FLOW));
const VARS = { visitorName: 'Ada', channel: 'web' };
const simulate = (flow: FlowDefinition, locale: string | null = null, now = NOW) => new FlowSimulation(flow, { vars: VARS, locale, now: () => now, sampleAgentName: 'Sam' });

/** welcome → menu → "Leave a message" → email form → note form → thanks + end, recorded at NOW. */
function recordNoteScenario(flow: FlowDefinition): ScenarioScript {
  const sim = simulate(flow);
  const steps = [
    sim.start(),
    sim.send({ kind: 'answer', text: 'Leave a message', choiceId: 'note' }),
    sim.send({ kind: 'answer', text: 'ada@example.com' }),
    sim.send({ kind: 'answer', text: 'My order is late' }),
  ];
  return scriptOf(steps, { locale: null, at: NOW.toISOString(), vars: VARS });
}

describe('the flow simulation (the designer\'s "Try it")', () => {
  it('says what the visitor would read, with the path taken and the node it waits on', () => {
    const sim = simulate(defaultFlow());
    const start = sim.start();
    expect(start.texts).toEqual([
      'Hi Ada, welcome! We are glad you reached out.',
      'What can we help you with?\nTalk to an agent\nOpening hours\nLeave a message\nPick an option or type its number.',
    ]);
    expect(start.path).toEqual(['welcome', 'hours-check', 'main-menu']);
    expect(start).toMatchObject({ nodeId: 'main-menu', wait: 'input' });

    const email = sim.send({ kind: 'answer', text: '3' });
    expect(email.path).toEqual(['ask-email']);
    expect(email.texts).toEqual(['What email address can we reply to?']);
    const bad = sim.send({ kind: 'answer', text: 'not an address' });
    expect(bad.texts).toEqual(['That does not look like an email address, e.g. name@example.com.', 'What email address can we reply to?']);
    expect(bad.path).toEqual([]);
    sim.send({ kind: 'answer', text: 'ada@example.com' });
    const last = sim.send({ kind: 'answer', text: 'Hello' });
    expect(last.vars).toMatchObject({ email: 'ada@example.com', note: 'Hello' });
    expect(last.texts).toEqual([
      'Thank you, Ada! We received your message and will reply to ada@example.com as soon as possible.',
      'The conversation has ended. Thank you for contacting us.',
    ]);
    expect(last).toMatchObject({ wait: 'end', path: ['note-thanks', 'done'] });
    expect(sim.send({ kind: 'answer', text: 'more' })).toMatchObject({ ignored: true, texts: [] });
  });

  it('shows a hand-off (team, texts) without queueing, and goes on along `failed` when nobody answers', () => {
    const sim = simulate(defaultFlow(), 'zh-CN');
    sim.start();
    const handoff = sim.send({ kind: 'answer', text: '联系人工客服', choiceId: 'agent' });
    expect(handoff.texts).toEqual(['请稍候，正在为您转接人工客服…']);
    expect(handoff.handoff).toMatchObject({ nodeId: 'handoff', teamId: null, connected: '您正在与 Sam 对话。', queued: true, outsideHours: false });
    expect(handoff.handoff?.queueText).toContain('1');
    expect(handoff.wait).toBe('handoff');
    const failed = sim.send({ kind: 'handoffFailed' });
    expect(failed.texts[0]).toBe('抱歉，目前没有可以接待您的客服。');
    expect(failed.path).toEqual(['offer-note']);
  });

  it('outside working hours (the clock it is given) offers to leave a message instead of queueing', () => {
    const flow = defaultFlow();
    const closed = FlowDefinitionSchema.parse({
      ...structuredClone(DEFAULT_FLOW), nodes: structuredClone(DEFAULT_FLOW.nodes).filter((n) => n.id !== 'hours-check')
        .map((n) => (n.id === 'welcome' ? { ...n, edges: [{ on: 'next', to: 'main-menu' }] } : n)),
      settings: { workingHours: { timeZone: 'UTC', weekly: [{ day: 1, start: '09:00', end: '17:00' }] } },
    });
    expect(flow.settings.workingHours).toBeNull();
    const sim = simulate(closed, null, new Date('2025-03-05T10:00:00Z')); // a Wednesday: closed all day
    sim.start();
    const step = sim.send({ kind: 'answer', text: 'Talk to an agent', choiceId: 'agent' });
    expect(step.handoff).toMatchObject({ outsideHours: true, whenOutsideHours: 'message', queued: false });
    expect(step.messages.map((m) => m.kind)).toEqual(['leave-message']);
  });

  it('stubs a web hook the way the workflow hands its answer to the engine', () => {
    expect(stubbedHttpOutcome(200, '{"plan":"gold"}')).toEqual({ ok: true, body: { plan: 'gold' } });
    expect(stubbedHttpOutcome(204, '')).toEqual({ ok: true, body: {} });
    expect(stubbedHttpOutcome(200, 'plain')).toMatchObject({ ok: false });
    expect(stubbedHttpOutcome(500, '{}')).toMatchObject({ ok: false });
    const flow = flowOf([
      { id: 'hook', type: 'http', config: { url: 'https://crm.example.com/plan', map: { plan: 'plan' } }, edges: [{ on: 'next', to: 'ok' }, { on: 'failure', to: 'bad' }] },
      say('ok', 'Your plan: ${plan}', 'bye'), say('bad', 'No plan', 'bye'), end('bye', 'Bye'),
    ], { variables: ['plan'] });
    const sim = simulate(flow);
    const start = sim.start();
    expect(start.http).toMatchObject({ url: 'https://crm.example.com/plan', method: 'POST' });
    expect(sim.send({ kind: 'answer', text: 'hi' }).ignored).toBe(true);
    expect(sim.send({ kind: 'http', status: 200, body: '{"plan":"gold"}' }).texts).toEqual(['Your plan: gold', 'Bye']);
  });
});

describe('test scenarios', () => {
  it('a recorded scenario passes on the flow it was recorded on, and is a valid scenario body', () => {
    const flow = defaultFlow();
    const script = recordNoteScenario(flow);
    expect(ScenarioScriptSchema.safeParse(script).success).toBe(true);
    expect(script.steps.map((s) => s.input)).toEqual([
      { kind: 'answer', text: 'Leave a message', choiceId: 'note' }, { kind: 'answer', text: 'ada@example.com' }, { kind: 'answer', text: 'My order is late' },
    ]);
    expect(runScenario(flow, script)).toMatchObject({ ok: true });
  });

  it('fails at the step whose texts changed, naming the expected and actual texts', () => {
    const script = recordNoteScenario(defaultFlow());
    const changed = structuredClone(DEFAULT_FLOW);
    const node = changed.nodes.find((n) => n.id === 'ask-email')!;
    (node.config as { prompt: unknown }).prompt = 'Your email, please?';
    const result = runScenario(FlowDefinitionSchema.parse(changed), script);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure).toMatchObject({ step: 1, reason: 'texts', expected: ['What email address can we reply to?'], actual: ['Your email, please?'], nodeId: 'ask-email' });
    expect(describeFailure('Leave a note', result.failure)).toBe(
      'scenario "Leave a note", step 1 (the answer "Leave a message"): expected "What email address can we reply to?" but the flow said "Your email, please?"',
    );
  });

  it('fails when the flow no longer waits for a recorded input', () => {
    const script = recordNoteScenario(defaultFlow());
    const shorter = flowOf([say('welcome', 'Hi ${visitorName}, welcome! We are glad you reached out.', 'bye'), end('bye')]);
    const result = runScenario(shorter, { ...script, start: ['Hi Ada, welcome! We are glad you reached out.', 'The conversation has ended. Thank you for contacting us.'] });
    expect(result).toMatchObject({ ok: false, failure: { step: 1, reason: 'not_waiting', nodeId: null } });
    if (!result.ok) expect(describeFailure('x', result.failure)).toContain('the flow had ended');
  });

  it('runs at the moment it was recorded, so working hours answer the same on every publish', () => {
    const flow = FlowDefinitionSchema.parse({ ...structuredClone(DEFAULT_FLOW), settings: { workingHours: { timeZone: 'UTC', weekly: [{ day: 3, start: '09:00', end: '17:00' }] } } });
    const sim = simulate(flow, null, new Date('2025-03-05T10:00:00Z'));
    const script = scriptOf([sim.start()], { locale: null, at: '2025-03-05T10:00:00Z', vars: VARS });
    expect(script.start[1]).toContain('What can we help you with?');
    expect(runScenario(flow, script).ok).toBe(true);
    expect(runScenario(flow, { ...script, at: '2025-03-05T20:00:00Z' }).ok).toBe(false);
  });
});
