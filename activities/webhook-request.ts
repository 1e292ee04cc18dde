import type { HttpRequestSpec } from '../domain/flow/types.js';
import type { OutboundRequest } from './outbound-http.js';

/**
 * The HTTP request a flow's http node makes: its variables as the query (GET) or a JSON body (POST). One
 * builder for the workflow's activity (webhook.ts) and the designer's "call it for real" (issue 20), so
 * the preview calls the URL exactly as a conversation would.
 */
export function webhookRequest(spec: Pick<HttpRequestSpec, 'url' | 'method' | 'payload' | 'timeoutMs'>): { url: string; request: OutboundRequest } {
  const url = new URL(spec.url);
  let body: string | undefined;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (spec.method === 'GET') {
    for (const [k, v] of Object.entries(spec.payload)) url.searchParams.set(k, v);
  } else {
    body = JSON.stringify(spec.payload);
    headers['content-type'] = 'application/json';
  }
  return { url: url.href, request: { method: spec.method, headers, body, timeoutMs: spec.timeoutMs } };
}
