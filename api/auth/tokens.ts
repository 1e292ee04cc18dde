import { webcrypto } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../shared/agents.js';

export type Principal =
  | { kind: 'staff'; userId: string; role: Role }
  | { kind: 'visitor'; visitorId: string };

const ISSUER = 'parley';

/** Signs and verifies staff session tokens and visitor tokens (HS256 with PARLEY_SECRET). */
export function createTokenService(secret: string) {
  // Imported once: given the raw bytes, jose imports the key again on every sign and verify, which
  // doubled their cost (a start verifies three tokens and signs one; `--only starts --profile`).
  let imported: Promise<webcrypto.CryptoKey> | undefined;
  const hmacKey = () => (imported ??= webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']));
  return {
    async signStaff(userId: string, role: Role): Promise<string> {
      return new SignJWT({ kind: 'staff', role }).setProtectedHeader({ alg: 'HS256' }).setSubject(userId)
        .setIssuer(ISSUER).setIssuedAt().setExpirationTime('12h').sign(await hmacKey());
    },
    async signVisitor(visitorId: string): Promise<string> {
      return new SignJWT({ kind: 'visitor' }).setProtectedHeader({ alg: 'HS256' }).setSubject(visitorId)
        .setIssuer(ISSUER).setIssuedAt().setExpirationTime('30d').sign(await hmacKey());
    },
    /** Returns null for anything that is not a valid, unexpired Parley token. */
    async verify(token: string): Promise<Principal | null> {
      const key = await hmacKey();
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
        if (!payload.sub) return null;
        if (payload.kind === 'visitor') return { kind: 'visitor', visitorId: payload.sub };
        if (payload.kind === 'staff' && (payload.role === 'admin' || payload.role === 'agent')) return { kind: 'staff', userId: payload.sub, role: payload.role };
        return null;
      } catch {
        return null;
      }
    },
  };
}
export type TokenService = ReturnType<typeof createTokenService>;
