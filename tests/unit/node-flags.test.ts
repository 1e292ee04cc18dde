import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_NODE_FLAGS } from '../../scripts/lib/node-flags.js';
import { PROJECT_ROOT } from '../../scripts/lib/paths.js';

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

describe('the API and worker run with the same Node flags however they are launched', () => {
  it('npm run api / npm run worker pass them', () => {
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    for (const name of ['api', 'worker']) {
      expect(scripts[name]).toBe(`node ${APP_NODE_FLAGS.join(' ')} --import tsx ${name}/main.ts`);
    }
  });

  it('the Docker image sets them for both commands', () => {
    expect(read('Dockerfile')).toContain(`ENV NODE_OPTIONS=${APP_NODE_FLAGS.join(' ')}`);
    for (const flag of APP_NODE_FLAGS) expect(process.allowedNodeEnvironmentFlags.has(flag.split('=')[0])).toBe(true);
  });
});
