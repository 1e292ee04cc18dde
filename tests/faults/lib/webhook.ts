import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The flow's http node calls this server in the runner: POST {orderId}. Order numbers starting with
 * 1 have shipped, 5 make it answer HTTP 500 (the node's failure edge after its retries), others are processing.
 */
export async function startWebhook() {
  const calls = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => { raw += chunk; });
    req.on('end', () => {
      let orderId = '';
      try { orderId = String((JSON.parse(raw || '{}') as { orderId?: string | number }).orderId ?? ''); } catch { /* empty */ }
      calls.set(orderId, (calls.get(orderId) ?? 0) + 1);
      if (orderId.startsWith('5')) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"order service down"}');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: orderId.startsWith('1') ? 'shipped' : 'processing', orderId }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/orders`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
