import { createHmac, randomUUID, webcrypto } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../domain/agents.js';

export type Principal =
  | { kind: 'staff'; userId: string; role: Role }
  | { kind: 'visitor'; visitorId: string };

/** A verified token: who it names, when it expires (ms since the epoch) and, for staff, the account's token version it was issued under. */
export interface VerifiedToken {
  principal: Principal;
  expiresAt: number;
  version?: number;
}

const ISSUER = 'parley';
/** Lifetimes; a token claiming a longer one (exp − iat) is refused even if validly signed. */
export const TOKEN_LIFETIME_SEC = { staff: 12 * 3600, visitor: 30 * 24 * 3600 } as const;

/** Signs and verifies staff session tokens and visitor tokens (HS256 with PARLEY_SECRET). */
export function createTokenService(secret: string) {
  // Imported once: given the raw bytes, jose imports the key again on every sign and verify, which
  // doubled their cost (a start verifies three tokens and signs one; `--only starts --profile`).
  let imported: Promise<webcrypto.CryptoKey> | undefined;
  const hmacKey = () => (imported ??= webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']));

  /** Every field of a token, checked: signature (HS256 only: no `none`), issuer, subject, issue and expiry times, kind, lifetime. */
  async function decode(token: string): Promise<VerifiedToken | null> {
    const key = await hmacKey();
    try {
      const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'], requiredClaims: ['sub', 'iat', 'exp'] });
      const { sub, iat, exp } = payload as { sub: string; iat: number; exp: number };
      const expiresAt = exp * 1000;
      if (payload.kind === 'visitor' && exp - iat <= TOKEN_LIFETIME_SEC.visitor) return { principal: { kind: 'visitor', visitorId: sub }, expiresAt };
      if (payload.kind === 'staff' && (payload.role === 'admin' || payload.role === 'agent') && exp - iat <= TOKEN_LIFETIME_SEC.staff
        && Number.isSafeInteger(payload.ver)) {
        return { principal: { kind: 'staff', userId: sub, role: payload.role }, expiresAt, version: payload.ver as number };
      }
      return null;
    } catch {
      return null;
    }
  }

  return {
    /** `version`: the account's current token version (users.token_version); raising it revokes this token. */
    async signStaff(userId: string, role: Role, version: number): Promise<string> {
      // jti: two sign-ins in the same second are two sessions (their CSRF tokens differ too).
      return new SignJWT({ kind: 'staff', role, ver: version }).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setJti(randomUUID())
        .setIssuer(ISSUER).setIssuedAt().setExpirationTime(TOKEN_LIFETIME_SEC.staff + 's').sign(await hmacKey());
    },
    async signVisitor(visitorId: string): Promise<string> {
      return new SignJWT({ kind: 'visitor' }).setProtectedHeader({ alg: 'HS256' }).setSubject(visitorId)
        .setIssuer(ISSUER).setIssuedAt().setExpirationTime(TOKEN_LIFETIME_SEC.visitor + 's').sign(await hmacKey());
    },
    /** A key for one purpose (hex HMAC-SHA256 of `label` with PARLEY_SECRET), e.g. a channel's first widget identity secret (issue 19). */
    derivedKey(label: string): string {
      return createHmac('sha256', secret).update(`parley:${label}`).digest('hex');
    },
    /** Null for anything that is not a valid, unexpired Parley token. Staff tokens still need the account check (auth/middleware.ts). */
    decode,
    /** The principal of a valid token (see `decode`), or null. */
    async verify(token: string): Promise<Principal | null> {
      return (await decode(token))?.principal ?? null;
    },
  };
}
export type TokenService = ReturnType<typeof createTokenService>;
