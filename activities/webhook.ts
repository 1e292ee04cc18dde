import { ApplicationFailure } from '@temporalio/activity';
import type { HttpRequestSpec } from '../domain/flow/types.js';
import { outboundRequest, OutboundRefusedError, ResponseTooLargeError, type OutboundConfig } from './outbound-http.js';

/**
 * Calls a flow's http node under the outbound policy (activities/outbound-http.ts). Non-2xx answers and
 * network errors are retried by Temporal; a refused address, a redirect, an oversized or a non-JSON
 * answer are not (the flow takes its `failure` edge at once).
 */
export function webhookActivities(outbound: OutboundConfig) {
  return {
    async callWebhook(spec: HttpRequestSpec): Promise<unknown> {
      const url = new URL(spec.url);
      let body: string | undefined;
      const headers: Record<string, string> = { accept: 'application/json' };
      if (spec.method === 'GET') {
        for (const [k, v] of Object.entries(spec.payload)) url.searchParams.set(k, v);
      } else {
        body = JSON.stringify(spec.payload);
        headers['content-type'] = 'application/json';
      }
      let res;
      try {
        res = await outboundRequest(url.href, { method: spec.method, headers, body, timeoutMs: spec.timeoutMs }, outbound);
      } catch (err) {
        if (err instanceof OutboundRefusedError) throw ApplicationFailure.nonRetryable(`webhook ${spec.nodeId} refused: ${err.message}`, 'WebhookRefused');
        if (err instanceof ResponseTooLargeError) throw ApplicationFailure.nonRetryable(`webhook ${spec.nodeId}: ${err.message}`, 'WebhookBadResponse');
        throw err;
      }
      if (res.status >= 300 && res.status < 400) throw ApplicationFailure.nonRetryable(`webhook ${spec.nodeId} answered a redirect (HTTP ${res.status}), which is not followed`, 'WebhookBadResponse');
      if (res.status < 200 || res.status >= 300) throw new Error(`webhook ${spec.nodeId} answered HTTP ${res.status}`);
      try {
        return res.body.length ? JSON.parse(res.body) : {};
      } catch {
        throw ApplicationFailure.nonRetryable(`webhook ${spec.nodeId} did not answer JSON`, 'WebhookBadResponse');
      }
    },
  };
}
