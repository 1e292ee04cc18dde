import { ApplicationFailure } from '@temporalio/activity';
import type { HttpRequestSpec } from '../domain/flow/types.js';
import { outboundRequest, OutboundRefusedError, ResponseTooLargeError, type OutboundConfig } from './outbound-http.js';
import { webhookRequest } from './webhook-request.js';

/**
 * Calls a flow's http node under the outbound policy (activities/outbound-http.ts). Non-2xx answers and
 * network errors are retried by Temporal; a refused address, a redirect, an oversized or a non-JSON
 * answer are not (the flow takes its `failure` edge at once).
 */
export function webhookActivities(outbound: OutboundConfig) {
  return {
    async callWebhook(spec: HttpRequestSpec): Promise<unknown> {
      const { url, request } = webhookRequest(spec);
      let res;
      try {
        res = await outboundRequest(url, request, outbound);
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
