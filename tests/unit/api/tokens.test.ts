import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenService } from '../../../api/auth/tokens.js';

const SECRET = 'a-secret-of-at-least-16-chars';

describe('token service', () => {
  const tokens = createTokenService(SECRET);

  it('verifies the visitor and staff tokens it signed', async () => {
    expect(await tokens.verify(await tokens.signVisitor('v-1'))).toEqual({ kind: 'visitor', visitorId: 'v-1' });
    expect(await tokens.verify(await tokens.signStaff('u-1', 'admin'))).toEqual({ kind: 'staff', userId: 'u-1', role: 'admin' });
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
});
