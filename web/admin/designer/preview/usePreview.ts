import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import type { ChatMessage } from '../../../../domain/messages.js';
import type { FlowDefinition } from '../../../../domain/flow/schema.js';
import type { ScenarioInput, ScenarioScript } from '../../../../domain/flow/scenario-schema.js';
import { runScenario, scriptOf, type ScenarioFailure } from '../../../../domain/flow/scenarios.js';
import { FlowSimulation, type SimulatedStep } from '../../../../domain/flow/simulation.js';
import type { SupportedLocale } from '../../../../domain/locales.js';

/**
 * The designer's "Try it" preview (issue 20): runs the draft with the engine the workflows run (imported from
 * domain/flow/, through simulation.ts) and keeps what the visitor read as chat messages, so the visitor's own
 * message renderers show them. The clock is the browser's (working hours); a replayed scenario uses the
 * moment it was recorded instead.
 */

/** A line of the preview's transcript: a message the visitor read or one they sent. */
export function previewMessages(steps: readonly PreviewStep[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  let at = '';
  const push = (sender: ChatMessage['sender'], body: ChatMessage['body']) => {
    const seq = out.length + 1;
    out.push({ id: `preview-${seq}`, conversationId: 'preview', seq, sender, senderId: null, senderName: null, body, clientId: null, createdAt: at });
  };
  for (const step of steps) {
    at = step.at;
    if (step.input?.kind === 'answer') push('visitor', { kind: 'text', text: step.input.text });
    for (const body of step.messages) push(body.kind === 'notice' || body.kind === 'end' || body.kind === 'leave-message' ? 'system' : 'bot', body);
  }
  return out;
}

/** A step with the moment it ran (the transcript's times). */
export type PreviewStep = SimulatedStep & { at: string };

export interface PreviewOptions {
  /** The draft as the engine runs it; null while it has problems. */
  flow: Ref<FlowDefinition | null>;
  channel: string;
  /** Names the preview visitor and the agent of the hand-off's `connected` text. */
  visitorName: Ref<string>;
  agentName: () => string;
  /** The visitor's locale to start with (the admin's own, when Parley speaks it). */
  locale: SupportedLocale;
}

export function usePreview(options: PreviewOptions) {
  const locale = ref<SupportedLocale>(options.locale);
  const steps = shallowRef<PreviewStep[]>([]);
  /** The moment a replayed scenario runs at; null: the browser's clock. */
  const clock = ref<string | null>(null);
  /** The run, on the flow as it was when it started. */
  let sim: FlowSimulation | null = null;
  /** The draft changed since the run started (it goes on with the flow it started with until restarted). */
  const stale = ref(false);
  /** A run the admin can answer (false: none yet, or a replayed scenario). */
  const live = ref(false);
  let startedAt = new Date().toISOString();

  const vars = () => ({ visitorName: options.visitorName.value, channel: options.channel });
  const messages = computed(() => previewMessages(steps.value));
  const last = computed(() => steps.value.at(-1) ?? null);
  const path = computed(() => steps.value.flatMap((s) => s.path));
  const currentNodeId = computed(() => last.value?.nodeId ?? null);
  const wait = computed(() => last.value?.wait ?? 'end');
  const running = computed(() => steps.value.length > 0);

  function simulation(flow: FlowDefinition, at: string | null) {
    return new FlowSimulation(flow, {
      vars: vars(), locale: locale.value, now: () => (at === null ? new Date() : new Date(at)), sampleAgentName: options.agentName(),
    });
  }

  /** Starts (again) from the start node with the browser's clock. */
  function restart() {
    const flow = options.flow.value;
    clock.value = null;
    stale.value = false;
    startedAt = new Date().toISOString();
    if (flow === null) {
      sim = null;
      live.value = false;
      steps.value = [];
      return;
    }
    sim = simulation(flow, null);
    live.value = true;
    steps.value = [{ ...sim.start(), at: new Date().toISOString() }];
  }

  function send(input: ScenarioInput) {
    if (sim === null) return;
    const step = sim.send(input);
    if (!step.ignored) steps.value = [...steps.value, { ...step, at: new Date().toISOString() }];
  }

  /** Replays a scenario's inputs (at its recorded moment); the steps show, and the first failure is returned. */
  function replay(script: ScenarioScript): ScenarioFailure | null {
    const flow = options.flow.value;
    if (flow === null) return null;
    locale.value = script.locale ?? 'en';
    const result = runScenario(flow, script, { sampleAgentName: options.agentName() });
    sim = null; // a replay is read-only: restart to try the flow again
    live.value = false;
    clock.value = script.at;
    stale.value = false;
    steps.value = result.steps.map((step) => ({ ...step, at: script.at }));
    return result.ok ? null : result.failure;
  }

  /** The run so far as a scenario (inputs and the texts after each). */
  function record(): ScenarioScript {
    return scriptOf(steps.value, { locale: locale.value, at: clock.value ?? startedAt, vars: vars() });
  }

  watch(options.flow, () => {
    if (steps.value.length > 0) stale.value = true;
  });
  // A new locale restarts the run (texts are chosen when said).
  watch(locale, () => {
    if (clock.value === null && running.value) restart();
  });

  return { flow: options.flow, stale, locale, steps, messages, path, currentNodeId, wait, running, clock, last, restart, send, replay, record, live };
}

export type PreviewState = ReturnType<typeof usePreview>;
