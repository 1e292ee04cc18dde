import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { API_NODE_FLAGS, WORKER_NODE_FLAGS } from '../../scripts/lib/node-flags.js';
import { PROJECT_ROOT } from '../../scripts/lib/paths.js';

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const scripts = () => JSON.parse(read('package.json')).scripts as Record<string, string>;
type Service = { command?: string[]; environment?: Record<string, string> };
const compose = () => (parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> }).services;

describe('the API runs with the same Node flags however it is launched', () => {
  it('npm run api passes them', () => {
    expect(scripts().api).toBe(`node ${API_NODE_FLAGS.join(' ')} --import tsx api/main.ts`);
  });

  it('docker compose sets them for the api service only, as flags Node accepts from the environment', () => {
    const services = compose();
    expect(services.api.environment?.NODE_OPTIONS).toBe(API_NODE_FLAGS.join(' '));
    expect(services.api.environment?.DATABASE_URL).toBeDefined(); // the shared settings are still merged in
    expect(services.worker.environment?.NODE_OPTIONS).toBeUndefined();
    for (const flag of API_NODE_FLAGS) expect(process.allowedNodeEnvironmentFlags.has(flag.split('=')[0])).toBe(true);
  });
});

describe('the worker runs with the same Node flags however it is launched', () => {
  it('npm run worker passes them', () => {
    expect(scripts().worker).toBe(`node ${WORKER_NODE_FLAGS.join(' ')} --import tsx worker/main.ts`);
  });

  it('docker compose passes them on the worker command line, since Node refuses them in NODE_OPTIONS', () => {
    expect(compose().worker.command).toEqual(['node', ...WORKER_NODE_FLAGS, '--import', 'tsx', 'worker/main.ts']);
    for (const flag of WORKER_NODE_FLAGS) expect(process.allowedNodeEnvironmentFlags.has(flag.split('=')[0])).toBe(false);
  });

  it('this Node accepts them (an unknown V8 flag would stop the worker at start)', () => {
    expect(execFileSync(process.execPath, [...WORKER_NODE_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' })).toBe('ok');
  });
});
