import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './paths.js';

const WEB_DIR = path.join(PROJECT_ROOT, 'web');
const DIST_MARKER = path.join(WEB_DIR, 'dist', 'index.html');
// The apps import domain/ too, so a change there also calls for a rebuild.
const SOURCE_DIRS = [WEB_DIR, path.join(PROJECT_ROOT, 'domain')];
const SKIP = new Set(['dist', 'node_modules']);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

function isStale(): boolean {
  if (!fs.existsSync(DIST_MARKER)) return true;
  const built = fs.statSync(DIST_MARKER).mtimeMs;
  return SOURCE_DIRS.some((dir) => fs.existsSync(dir) && newestMtime(dir) > built);
}

/** Runs `vite build` for the three web apps unless web/dist is newer than every source file. */
export async function buildWebIfStale(log: (line: string) => void): Promise<void> {
  const config = path.join(WEB_DIR, 'vite.config.ts');
  if (!fs.existsSync(config)) {
    log('warning: web/vite.config.ts not found, skipping the web build (the API will serve no pages)');
    return;
  }
  if (!isStale()) return;
  log('building the web apps (vite build)...');
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npx', ['vite', 'build', '--config', config, '--logLevel', 'warn'], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}
