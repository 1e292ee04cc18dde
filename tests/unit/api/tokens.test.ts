import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenService } from '../../../api/auth/tokens.js';

const SECRET = 'a-secret-of-at-least-16-chars';

describe('token service', () => {
  const tokens = createTokenService(SECRET);

  it('verifies the visitor and staff tokens it signed', async () => {
    expect(await tokens.verify(await tokens.signVisitor('v-1'))).toEqual({ kind: 'visitor', visitorId: 'v-1' });
    expect(await tokens.verify(await tokens.signStaff('u-1', 'admin', 4))).toEqual({ kind: 'staff', userId: 'u-1', role: 'admin' });
    const decoded = await tokens.decode(await tokens.signStaff('u-1', 'agent', 4));
    expect(decoded).toMatchObject({ principal: { kind: 'staff', userId: 'u-1', role: 'agent' }, version: 4 });
    expect(decoded!.expiresAt - Date.now()).toBeGreaterThan(12 * 3600_000 - 60_000);
    expect(decoded!.expiresAt - Date.now()).toBeLessThanOrEqual(12 * 3600_000);
  });

  it('refuses a token signed with another secret, a tampered one, an expired one and garbage', async () => {
    const other = await createTokenService('another-secret-16-chars').signVisitor('v-1');
    expect(await tokens.verify(other)).toBeNull();

    const [header, payload, signature] = (await tokens.signVisitor('v-1')).split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'v-2' })).toString('base64url');
    expect(await tokens.verify(`${header}.${forged}.${signature}`)).toBeNull();

    const expired = await new SignJWT({ kind: 'visitor' }).setProtectedHeader({ alg: 'HS256' }).setSubject('v-1')
      .setIssuer('parley').setIssuedAt(1_000).setExpirationTime(2_000).sign(new TextEncoder().encode(SECRET));
    expect(await tokens.verify(expired)).toBeNull();

    expect(await tokens.verify('not.a.token')).toBeNull();
    expect(await tokens.verify('')).toBeNull();
  });

  it('refuses a validly signed token with an unknown kind or role', async () => {
    const key = new TextEncoder().encode(SECRET);
    const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1')
      .setIssuer('parley').setIssuedAt().setExpirationTime('1h').sign(key);
    expect(await tokens.verify(await sign({ kind: 'staff', role: 'root' }))).toBeNull();
    expect(await tokens.verify(await sign({ kind: 'robot' }))).toBeNull();
  });

  it('refuses tokens without an expiry, issue time or version, with a longer life than issued, another issuer or alg none', async () => {
    const key = new TextEncoder().encode(SECRET);
    const now = Math.floor(Date.now() / 1000);
    const staff = { kind: 'staff', role: 'admin', ver: 0 };
    const base = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').setIssuer('parley');
    // the control: the same claims with iat and exp pass
    expect(await tokens.verify(await base(staff).setIssuedAt(now).setExpirationTime(now + 3600).sign(key))).not.toBeNull();
    expect(await tokens.verify(await base(staff).setIssuedAt(now).sign(key)), 'no exp').toBeNull();
    expect(await tokens.verify(await base({ kind: 'visitor' }).setIssuedAt(now).sign(key)), 'visitor without exp').toBeNull();
    expect(await tokens.verify(await base(staff).setExpirationTime(now + 3600).sign(key)), 'no iat').toBeNull();
    expect(await tokens.verify(await base({ kind: 'staff', role: 'admin' }).setIssuedAt(now).setExpirationTime(now + 3600).sign(key)), 'staff without version').toBeNull();
    expect(await tokens.verify(await base(staff).setIssuedAt(now).setExpirationTime(now + 13 * 3600).sign(key)), 'staff for 13 h').toBeNull();
    expect(await tokens.verify(await base({ kind: 'visitor' }).setIssuedAt(now).setExpirationTime(now + 31 * 86400).sign(key)), 'visitor for 31 days').toBeNull();
    expect(await tokens.verify(await new SignJWT(staff).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').setIssuer('evil')
      .setIssuedAt(now).setExpirationTime(now + 3600).sign(key)), 'wrong issuer').toBeNull();
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expect(await tokens.verify(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...staff, sub: 'u-1', iss: 'parley', iat: now, exp: now + 3600 })}.`), 'alg none').toBeNull();
    expect(await tokens.verify(await new SignJWT(staff).setProtectedHeader({ alg: 'HS512' }).setSubject('u-1').setIssuer('parley')
      .setIssuedAt(now).setExpirationTime(now + 3600).sign(key)), 'HS512').toBeNull();
  });
});
