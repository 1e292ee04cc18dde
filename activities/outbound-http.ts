import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressRefusal, bareHost, DEFAULT_OUTBOUND_MAX_RESPONSE_BYTES, STRICT_OUTBOUND_POLICY, urlRefusal, type OutboundPolicy } from '../domain/outbound.js';

/**
 * Parley's outbound HTTP calls (flow http nodes, the assignment webhook), guarded against server-side
 * request forgery and bounded:
 * - the URL is checked first (domain/outbound.ts), then every address its name resolves to, and the
 *   connection goes to an address that was checked (the lookup hands it to the socket), so a name
 *   that resolves to a public address for the check and to 127.0.0.1 for the call cannot get through;
 * - redirects are not followed (a 3xx is an error);
 * - the answer is read up to `maxResponseBytes`, and the whole call up to `timeoutMs`.
 */
export interface OutboundConfig {
  policy: OutboundPolicy;
  /** Largest answer body read (env PARLEY_OUTBOUND_MAX_RESPONSE_BYTES). */
  maxResponseBytes: number;
  /** HMAC-SHA256 key that signs the assignment webhook's requests (env PARLEY_WEBHOOK_SECRET); unsigned without it. */
  signingSecret?: string;
  /** Resolves a host name to all its addresses; default: the system resolver (dns.lookup, all addresses). */
  resolve?: (hostname: string, family: number) => Promise<dns.LookupAddress[]>;
}

const systemResolve = (hostname: string, family: number) => dns.promises.lookup(hostname, { all: true, family });

/** No outbound call waits longer than this, whatever its settings say. */
export const MAX_OUTBOUND_TIMEOUT_MS = 60_000;

export const STRICT_OUTBOUND: OutboundConfig = { policy: STRICT_OUTBOUND_POLICY, maxResponseBytes: DEFAULT_OUTBOUND_MAX_RESPONSE_BYTES };

/** The policy refused the URL or an address it resolved to. Not worth retrying. */
export class OutboundRefusedError extends Error {}
/** The answer was larger than allowed. Not worth retrying. */
export class ResponseTooLargeError extends Error {}

export interface OutboundRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface OutboundResponse { status: number; body: string }

/** A DNS lookup that fails unless every address of the name is allowed. */
function checkedLookup(config: OutboundConfig, host: string, refused: (err: OutboundRefusedError) => void): LookupFunction {
  const { policy } = config;
  return (hostname, options, callback) => {
    const family = typeof options.family === 'number' ? options.family : 0;
    (config.resolve ?? systemResolve)(hostname, family).then((addresses) => {
      if (addresses.length === 0) return void callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (!policy.hosts.has(host)) {
        for (const { address } of addresses) {
          const refusal = addressRefusal(address, policy);
          if (refusal !== null) {
            const error = new OutboundRefusedError(`${hostname} resolves to a ${refusal}; outbound calls go to public addresses only, unless PARLEY_OUTBOUND_ALLOW names it`);
            refused(error);
            return void callback(error, '', 0);
          }
        }
      }
      if (options.all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    }, (err: NodeJS.ErrnoException) => callback(err, '', 0));
  };
}

/** Makes one HTTP request under the outbound policy. Rejects with OutboundRefusedError, ResponseTooLargeError or a network/timeout error. */
export function outboundRequest(url: string, request: OutboundRequest, config: OutboundConfig): Promise<OutboundResponse> {
  const refusal = urlRefusal(url, config.policy);
  if (refusal !== null) return Promise.reject(new OutboundRefusedError(`${url}: ${refusal}`));
  const target = new URL(url);
  const timeoutMs = Math.min(Math.max(1, request.timeoutMs), MAX_OUTBOUND_TIMEOUT_MS);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<OutboundResponse>((resolve, reject) => {
    let settled = false;
    let refusedBy: OutboundRefusedError | null = null;
    const finish = (err: Error | null, response?: OutboundResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(refusedBy ?? err);
      else resolve(response!);
    };
    const req = client.request(target, {
      method: request.method,
      headers: { ...request.headers, ...(request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}) },
      agent: false, // a fresh connection per call: nothing pooled outlives the check of its address
      lookup: checkedLookup(config, bareHost(target.hostname), (err) => { refusedBy = err; }),
    }, (res) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > config.maxResponseBytes) {
        req.destroy();
        return finish(new ResponseTooLargeError(`the answer is ${declared} bytes, more than the ${config.maxResponseBytes} allowed`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > config.maxResponseBytes) {
          req.destroy();
          finish(new ResponseTooLargeError(`the answer is more than the ${config.maxResponseBytes} bytes allowed`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => finish(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => finish(err));
      res.on('aborted', () => finish(new Error('the connection closed before the answer was complete')));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (err) => finish(err));
    req.end(request.body);
  });
}
