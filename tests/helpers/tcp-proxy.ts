import net from 'node:net';

/**
 * A TCP proxy to `target` ("host:port") that a test can cut (every connection dropped, new ones
 * refused, as when the server is down) and restore on the same port.
 */
export async function tcpProxy(target: string) {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const open = new Set<net.Socket>();
  const track = (s: net.Socket) => { open.add(s); s.once('close', () => open.delete(s)); };
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => { client.destroy(); upstream.destroy(); };
    client.once('error', end);
    upstream.once('error', end);
    client.once('close', end);
    upstream.once('close', end);
  });
  const listen = (p: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(p, '127.0.0.1', () => { server.off('error', reject); resolve((server.address() as net.AddressInfo).port); });
  });
  const listenPort = await listen(0);
  return {
    address: `127.0.0.1:${listenPort}`,
    /** Drops every connection and refuses new ones. */
    async cut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of open) s.destroy();
      await closed;
    },
    /** Accepts connections again on the same port. */
    async restore() {
      await listen(listenPort);
    },
    async close() {
      for (const s of open) s.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
