import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, resolved from this file so scripts work from any cwd. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Locally installed tools (the Temporal CLI) live here; git-ignored. */
export const TOOLS_BIN_DIR = path.join(PROJECT_ROOT, '.tools', 'bin');
