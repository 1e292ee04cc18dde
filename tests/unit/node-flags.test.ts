import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { API_NODE_FLAGS } from '../../scripts/lib/node-flags.js';
import { PROJECT_ROOT } from '../../scripts/lib/paths.js';

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

describe('the API runs with the same Node flags however it is launched', () => {
  it('npm run api passes them', () => {
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    expect(scripts.api).toBe(`node ${API_NODE_FLAGS.join(' ')} --import tsx api/main.ts`);
  });

  it('docker compose sets them for the api service only, as flags Node accepts from the environment', () => {
    const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, { environment?: Record<string, string> }> };
    expect(compose.services.api.environment?.NODE_OPTIONS).toBe(API_NODE_FLAGS.join(' '));
    expect(compose.services.api.environment?.DATABASE_URL).toBeDefined(); // the shared settings are still merged in
    expect(compose.services.worker.environment?.NODE_OPTIONS).toBeUndefined();
    for (const flag of API_NODE_FLAGS) expect(process.allowedNodeEnvironmentFlags.has(flag.split('=')[0])).toBe(true);
  });
});
