import http from 'node:http';

/** Keep-alive, so thousands of fuzz requests do not each open a connection. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

export interface RawRequest {
  method: string;
  /** Sent exactly as given (no URL normalisation): may contain `..`, percent escapes, anything. */
  path: string;
  token?: string;
  /** A JSON value to send (with content-type application/json); `raw` wins when both are set. */
  json?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** Source address, e.g. 127.0.0.7, to look like another client IP. */
  localAddress?: string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Parsed body when it is JSON, else undefined. */
  body: any;
}

/** A bare HTTP request (fetch refuses bodies on GET and rewrites paths; the fuzzer wants neither). */
export function send(baseUrl: string, req: RawRequest, retried = false): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const payload = req.raw ?? (req.json === undefined ? undefined : JSON.stringify(req.json));
  const headers: Record<string, string | number> = {
    ...(req.token ? { authorization: `Bearer ${req.token}` } : {}),
    ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
    ...req.headers,
  };
  return new Promise((resolve, reject) => {
    const r = http.request({
      host: url.hostname, port: url.port, method: req.method.toUpperCase(), path: req.path, headers,
      ...(req.localAddress ? { localAddress: req.localAddress } : { agent }),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        if (/^application\/json/.test(res.headers['content-type'] ?? '')) {
          try { body = JSON.parse(text); } catch { body = undefined; }
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
    });
    r.on('error', (err: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed while idle (the documented keep-alive race): retry once on a fresh one.
      if (r.reusedSocket && !retried && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) resolve(send(baseUrl, req, true));
      else reject(err);
    });
    r.setTimeout(30_000, () => r.destroy(new Error(`${req.method} ${req.path.slice(0, 200)} timed out`)));
    if (payload !== undefined) r.write(payload);
    r.end();
  });
}

/** Percent-encodes a path segment; strings with lone surrogates are sent as their raw (invalid) UTF-8 bytes. */
export function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    let out = '';
    for (const ch of value) {
      const code = ch.codePointAt(0)!;
      if (code >= 0xd800 && code <= 0xdfff) {
        // CESU-style bytes of the lone surrogate: invalid UTF-8 the server must refuse cleanly
        out += `%${(0xe0 | (code >> 12)).toString(16).toUpperCase()}%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
      } else {
        out += encodeURIComponent(ch);
      }
    }
    return out;
  }
}

/** `{ error: { code, message } }` with a non-empty message: every refusal must look like this. */
export function isErrorBody(res: RawResponse): boolean {
  const e = res.body?.error;
  return /^application\/json/.test(res.headers['content-type'] ?? '') && typeof e?.code === 'string' && e.code.length > 0 && typeof e.message === 'string' && e.message.length > 0;
}

export const describeResponse = (res: RawResponse) => `${res.status} ${res.headers['content-type'] ?? '(no content-type)'} ${res.text.slice(0, 300)}`;
