import os from 'node:os';
import path from 'node:path';

/**
 * Where a browser test saves its screenshots for people to look at (they are never compared): a folder per test
 * under PARLEY_SHOTS_DIR (or SHOTS_DIR), else under the system's temporary directory.
 */
export function shotsDir(name: string): string {
  return path.join(process.env.PARLEY_SHOTS_DIR ?? process.env.SHOTS_DIR ?? path.join(os.tmpdir(), 'parley-shots'), name);
}
