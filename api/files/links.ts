import { createHmac, timingSafeEqual } from 'node:crypto';

export type FileVariant = 'original' | 'thumbnail';

/**
 * Signed download links: `/api/files/<fileId>/<variant>?exp=<unix s>&sig=<HMAC-SHA256>`. Whoever may
 * see the conversation gets links (GET …/files/{fileId}/links); the link itself is then the
 * permission, for `exp` only (an <img> cannot send the visitor's Bearer token). The key is derived from
 * PARLEY_SECRET, so every API process verifies every other's links and rotating the secret voids them.
 */
export function fileLinkSigner(secret: string, ttlSec: number) {
  const key = createHmac('sha256', secret).update('parley:file-links:v1').digest();
  const mac = (fileId: string, variant: FileVariant, exp: number) =>
    createHmac('sha256', key).update(`${fileId}\n${variant}\n${exp}`).digest('base64url');

  return {
    ttlSec,
    /** A link valid until now + ttl (rounded up to the next 10 s, so links made together match). */
    sign(fileId: string, variant: FileVariant, nowMs = Date.now()) {
      const exp = Math.ceil((nowMs / 1000 + ttlSec) / 10) * 10;
      return { url: `/api/files/${fileId}/${variant}?exp=${exp}&sig=${mac(fileId, variant, exp)}`, expiresAt: new Date(exp * 1000).toISOString() };
    },
    /** 'ok', or why the link is refused. A link whose parts were changed fails as 'invalid'. */
    verify(fileId: string, variant: FileVariant, exp: number, sig: string, nowMs = Date.now()): 'ok' | 'expired' | 'invalid' {
      const expected = Buffer.from(mac(fileId, variant, exp));
      const given = Buffer.from(sig);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      return exp * 1000 > nowMs ? 'ok' : 'expired';
    },
  };
}
export type FileLinkSigner = ReturnType<typeof fileLinkSigner>;
