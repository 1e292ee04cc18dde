import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../config/env.js';
import { fileLinkSigner } from '../../../api/files/links.js';
import { nameForType, sniff } from '../../../api/files/sniff.js';
import { contentDisposition } from '../../../api/routes/files.js';
import { DEFAULT_MAX_FILE_BYTES, formatFileSize } from '../../../domain/files.js';
import { fixtures } from '../../helpers/files.js';

const BASE_ENV = { DATABASE_URL: 'postgres://x', PARLEY_SECRET: 'a-secret-of-sixteen+' };

describe('file type sniffing', () => {
  it('names binary files by their magic numbers, whatever they are called', async () => {
    expect(await sniff(await fixtures.pngWithExif(10, 10))).toEqual({ ok: true, mime: 'image/png', ext: 'png' });
    expect(await sniff(await fixtures.jpeg(10, 10))).toEqual({ ok: true, mime: 'image/jpeg', ext: 'jpg' });
    expect(await sniff(fixtures.pdf())).toEqual({ ok: true, mime: 'application/pdf', ext: 'pdf' });
    expect(await sniff(fixtures.exe())).toMatchObject({ ok: true, mime: 'application/x-msdownload' });
  });

  it('takes UTF-8 text as plain text, and refuses markup and undecodable bytes', async () => {
    expect(await sniff(Buffer.from('订单 1234 已发货\nshipped'))).toEqual({ ok: true, mime: 'text/plain', ext: 'txt' });
    expect(await sniff(fixtures.svg())).toMatchObject({ ok: false, reason: 'markup' });
    expect(await sniff(fixtures.html())).toMatchObject({ ok: false, reason: 'markup' });
    expect(await sniff(Buffer.from('  \n<SVG onload=alert(1)>'))).toMatchObject({ ok: false, reason: 'markup' });
    expect(await sniff(Buffer.from([0x41, 0xc3, 0x28, 0x42]))).toEqual({ ok: false, reason: 'unknown' });
    expect(await sniff(Buffer.from('a\u0000b'))).toEqual({ ok: false, reason: 'unknown' });
  });

  it('gives a name the sniffed type\'s extension when its own names another type', () => {
    expect(nameForType('photo.JPEG', 'jpg')).toBe('photo.JPEG');
    expect(nameForType('scan.png', 'pdf')).toBe('scan.png.pdf');
    expect(nameForType('README', 'txt')).toBe('README.txt');
    expect(nameForType('a/b\\c\u0007.pdf', 'pdf')).toBe('a_b_c_.pdf');
    expect(nameForType('合同.pdf', 'pdf')).toBe('合同.pdf');
  });
});

describe('signed file links', () => {
  const signer = fileLinkSigner('a-secret-of-sixteen+', 900);
  const id = '3f0c7c8e-0d8e-4b36-9d59-4f1c2a1b7e10';
  const parts = (url: string) => {
    const u = new URL(url, 'http://x');
    return { exp: Number(u.searchParams.get('exp')), sig: u.searchParams.get('sig')! };
  };

  it('verifies its own link until it expires, about 15 minutes later', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    const link = signer.sign(id, 'original', now);
    const { exp, sig } = parts(link.url);
    expect(exp * 1000 - now).toBeGreaterThanOrEqual(900_000);
    expect(exp * 1000 - now).toBeLessThan(910_000);
    expect(signer.verify(id, 'original', exp, sig, now)).toBe('ok');
    expect(signer.verify(id, 'original', exp, sig, exp * 1000)).toBe('expired');
  });

  it('refuses a link with any part changed, or signed with another secret', () => {
    const { exp, sig } = parts(signer.sign(id, 'original').url);
    expect(signer.verify(id, 'thumbnail', exp, sig)).toBe('invalid');
    expect(signer.verify(id, 'original', exp + 10, sig)).toBe('invalid');
    expect(signer.verify(id.replace('3f', '4f'), 'original', exp, sig)).toBe('invalid');
    expect(signer.verify(id, 'original', exp, `${sig}x`)).toBe('invalid');
    const other = parts(fileLinkSigner('another-secret-of-16+', 900).sign(id, 'original').url);
    expect(signer.verify(id, 'original', other.exp, other.sig)).toBe('invalid');
  });
});

describe('file settings and headers', () => {
  it('defaults to the database store, 10 MB and the safe types; S3 needs a bucket', () => {
    const env = readEnv(BASE_ENV);
    expect(env.FILE_STORAGE).toBe('database');
    expect(env.FILES_MAX_BYTES).toBe(DEFAULT_MAX_FILE_BYTES);
    expect(env.FILES_ALLOWED_TYPES).toContain('image/png');
    expect(env.FILES_ALLOWED_TYPES).not.toContain('image/svg+xml');
    expect(env.FILE_LINK_TTL_SEC).toBe(900);
    expect(() => readEnv({ ...BASE_ENV, FILE_STORAGE: 's3' })).toThrow(/S3_BUCKET/);
    const s3 = readEnv({ ...BASE_ENV, FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'true', FILES_ALLOWED_TYPES: 'image/png, application/pdf' });
    expect([s3.S3_FORCE_PATH_STYLE, s3.FILES_ALLOWED_TYPES]).toEqual([true, ['image/png', 'application/pdf']]);
    expect(() => readEnv({ ...BASE_ENV, FILES_ALLOWED_TYPES: 'png' })).toThrow(/MIME types/);
  });

  it('formats sizes and Content-Disposition with an ASCII fallback and the UTF-8 name', () => {
    expect([formatFileSize(12), formatFileSize(14_300), formatFileSize(DEFAULT_MAX_FILE_BYTES)]).toEqual(['12 B', '14.3 kB', '10.5 MB']);
    expect(contentDisposition('attachment', '合同 "v2".pdf')).toBe(`attachment; filename="__ _v2_.pdf"; filename*=UTF-8''%E5%90%88%E5%90%8C%20%22v2%22.pdf`);
  });
});
