import type { FlowDefinition } from '../../domain/flow/schema.js';

export interface PublishedFlow { id: string; version: number; definition: FlowDefinition }

/**
 * Parsed definitions of published flow versions. A published version never changes, so it is read and
 * validated once per process instead of on every conversation start; the newest `max` stay.
 */
export function publishedFlowCache(max = 64) {
  const entries = new Map<string, PublishedFlow>();
  const key = (id: string, version: number) => `${id}@${version}`;
  return {
    get(id: string, version: number): PublishedFlow | undefined {
      return entries.get(key(id, version));
    },
    set(flow: PublishedFlow): PublishedFlow {
      entries.set(key(flow.id, flow.version), flow);
      if (entries.size > max) entries.delete(entries.keys().next().value!);
      return flow;
    },
  };
}
