import { ApplicationFailure } from '@temporalio/activity';
import type { HttpRequestSpec } from '../workflows/flow/types.js';

/** Calls a flow's http node. Non-2xx and network errors are retried by Temporal; a non-JSON answer is not. */
export function webhookActivities() {
  return {
    async callWebhook(spec: HttpRequestSpec): Promise<unknown> {
      const url = new URL(spec.url);
      const init: RequestInit = { method: spec.method, signal: AbortSignal.timeout(spec.timeoutMs), headers: { accept: 'application/json' } };
      if (spec.method === 'GET') {
        for (const [k, v] of Object.entries(spec.payload)) url.searchParams.set(k, v);
      } else {
        init.body = JSON.stringify(spec.payload);
        init.headers = { ...init.headers, 'content-type': 'application/json' };
      }
      const res = await fetch(url, init);
      if (!res.ok) throw new Error(`webhook ${spec.nodeId} answered HTTP ${res.status}`);
      const text = await res.text();
      try {
        return text.length ? JSON.parse(text) : {};
      } catch {
        throw ApplicationFailure.nonRetryable(`webhook ${spec.nodeId} did not answer JSON`, 'WebhookBadResponse');
      }
    },
  };
}
