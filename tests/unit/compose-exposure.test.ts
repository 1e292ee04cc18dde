import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../scripts/lib/paths.js';

type Service = { ports?: Array<string | { published?: string | number; host_ip?: string }>; environment?: Record<string, string> };
const services = () => (parse(fs.readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> }).services;

/** The host address a published port binds to ('' = every interface, which is Docker's default). */
function hostIp(port: NonNullable<Service['ports']>[number]): string {
  if (typeof port !== 'string') return port.host_ip ?? '';
  const parts = port.split(':');
  return parts.length === 3 ? parts[0] : '';
}

/**
 * Issue 16 item 6: Temporal's frontend has no authentication in this deployment, and its UI shows every
 * conversation and can terminate workflows. Only the desk itself (the API) is published to the network.
 */
describe('docker compose publishes only the API beyond this host', () => {
  it("Temporal's frontend and UI bind to the loopback interface", () => {
    const s = services();
    for (const name of ['temporal', 'temporal-ui']) {
      const ports = s[name]?.ports ?? [];
      for (const port of ports) expect(hostIp(port), `${name} ${JSON.stringify(port)}`).toBe('127.0.0.1');
    }
    expect(s['temporal-ui']?.ports?.length).toBeGreaterThan(0); // still reachable locally (SSH tunnel, reverse proxy)
  });

  it('no other service but the API publishes a port on every interface', () => {
    const open = Object.entries(services()).flatMap(([name, svc]) => (svc.ports ?? []).filter((p) => hostIp(p) === '').map(() => name));
    expect(open).toEqual(['api']);
  });
});
