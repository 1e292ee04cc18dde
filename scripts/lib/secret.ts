import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** PARLEY_SECRET from the environment, else one generated on first start and kept in `<dataDir>/secret`. */
export function loadOrCreateSecret(dataDir: string, fromEnv = process.env.PARLEY_SECRET): string {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, 'secret');
  try {
    const saved = fs.readFileSync(file, 'utf8').trim();
    if (saved) return saved;
  } catch {
    // first start
  }
  const secret = crypto.randomBytes(32).toString('hex');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
