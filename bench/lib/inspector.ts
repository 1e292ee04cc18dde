/**
 * A minimal Chrome DevTools Protocol client over the inspector's WebSocket (Node 20 has no WebSocket client
 * built in, and the repository has no direct dependency on one): enough to force a garbage collection in
 * another Node process started with `--inspect` and read its heap use.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';

export class InspectorClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  /** Connects to `ws://host:port/<id>` as printed by `node --inspect` ("Debugger listening on ..."). */
  static connect(url: string): Promise<InspectorClient> {
    const u = new URL(url);
    const key = crypto.randomBytes(16).toString('base64');
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: u.hostname, port: Number(u.port), path: u.pathname,
        headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' },
      });
      req.on('upgrade', (_res, socket) => resolve(new InspectorClient(socket)));
      req.on('error', reject);
      req.end();
    });
  }

  call<T = unknown>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    const payload = Buffer.from(JSON.stringify({ id, method, params }));
    // A client frame: FIN + text, masked, with a 7-bit, 16-bit or 64-bit length.
    const mask = crypto.randomBytes(4);
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x81, 0x80 | len])
      : len < 65536 ? Buffer.from([0x81, 0x80 | 126, len >> 8, len & 0xff])
        : Buffer.concat([Buffer.from([0x81, 0x80 | 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(len)); return b; })()]);
    const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
    this.socket.write(Buffer.concat([head, mask, body]));
    return new Promise<T>((resolve) => this.waiting.set(id, resolve as (r: unknown) => void));
  }

  close() {
    this.socket.destroy();
  }

  /** Server frames are unmasked; only text frames carry answers. */
  private receive(chunk: Buffer) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0] & 0x0f;
      let len = this.buffer[1] & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + len) return;
      const data = this.buffer.subarray(offset, offset + len);
      this.buffer = this.buffer.subarray(offset + len);
      if (opcode !== 1) continue;
      const msg = JSON.parse(data.toString('utf8')) as { id?: number; result?: unknown };
      if (msg.id !== undefined) {
        this.waiting.get(msg.id)?.(msg.result);
        this.waiting.delete(msg.id);
      }
    }
  }
}

/** The process's memory after a full collection (MB): V8 heap in use, and memory outside it held by JS objects (socket buffers). */
export async function memoryAfterGcMb(client: InspectorClient): Promise<{ heapUsed: number; external: number }> {
  await client.call('HeapProfiler.enable');
  await client.call('HeapProfiler.collectGarbage');
  await client.call('HeapProfiler.collectGarbage');
  const res = await client.call<{ result: { value?: string } }>('Runtime.evaluate', {
    expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true,
  });
  const usage = JSON.parse(res.result.value ?? '{}') as { heapUsed: number; external: number };
  return { heapUsed: usage.heapUsed / 2 ** 20, external: usage.external / 2 ** 20 };
}
