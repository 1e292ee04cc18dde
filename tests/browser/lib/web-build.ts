import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));
const WEB_DIST = path.join(WEB_DIR, 'dist', 'index.html');

/** Newest modification time of the web sources (not dist), to rebuild a stale bundle. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the web apps when web/dist is missing or older than a source file (the web's own, or the domain and client code it imports). */
export function ensureWebBuild(): void {
  const newest = Math.max(...[WEB_DIR, path.join(WEB_DIR, '..', 'domain'), path.join(WEB_DIR, '..', 'client')].map(newestSource));
  const stale = !fs.existsSync(WEB_DIST) || fs.statSync(WEB_DIST).mtimeMs < newest;
  // A production build as users get it: under vitest NODE_ENV is `test`, which would build Vue's development bundles.
  if (stale) execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
