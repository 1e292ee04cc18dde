import { validateFlow, type FlowProblem } from '../../../domain/flow/validate';
import type { FlowDefinition } from '../../../domain/flow/schema';
import { behaviourKey } from './graph';
import { computeSpecs } from './specsSource';
import type { DesignerSpecs } from './specs';

/**
 * The designer's worker: runs the flow validator (domain/flow/validate.ts, the API's own) on each edit
 * and hands out the field specs read from the zod schemas. It is its own bundle, so zod's schema
 * builders and the validator load with the flow page only, off the main thread.
 */
export type WorkerRequest = { kind: 'validate'; seq: number; draft: unknown };
export type WorkerReply =
  | { kind: 'specs'; specs: DesignerSpecs }
  | {
    kind: 'validated'; seq: number; problems: FlowProblem[]; key: string | null; ms: number;
    /** The draft as the engine runs it (defaults applied), for the preview (issue 20); null while it has problems. */
    flow: FlowDefinition | null;
  };

const scope = self as unknown as { onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null; postMessage(message: WorkerReply): void };

scope.postMessage({ kind: 'specs', specs: computeSpecs() });
scope.onmessage = (event) => {
  const request = event.data;
  if (request.kind !== 'validate') return;
  const started = performance.now();
  const result = validateFlow(request.draft);
  scope.postMessage({
    kind: 'validated', seq: request.seq, problems: result.ok ? [] : result.problems,
    key: result.ok ? behaviourKey(result.flow) : null, ms: performance.now() - started, flow: result.ok ? result.flow : null,
  });
};
