import { randomUUID } from 'node:crypto';
import sharp from 'sharp';

/** Test files: real images made with sharp, and byte patterns file-type recognises. */
export const fixtures = {
  /** A 640×480 PNG carrying EXIF (a camera, a GPS-like comment) that must not survive the upload. */
  async pngWithExif(width = 640, height = 480): Promise<Buffer> {
    return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } })
      .png().withExif({ IFD0: { Make: 'SecretCam', ImageDescription: 'GPS 48.8584 2.2945 home' } }).toBuffer();
  },
  async jpeg(width = 800, height = 600): Promise<Buffer> {
    return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 40 } } })
      .jpeg().withExif({ IFD0: { Make: 'SecretCam' } }).toBuffer();
  },
  pdf(): Buffer {
    return Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  },
  /** A Windows executable's header ("MZ" … "PE"). */
  exe(): Buffer {
    const b = Buffer.alloc(512);
    b.write('MZ', 0);
    b.writeUInt32LE(0x80, 0x3c);
    b.write('PE\0\0', 0x80, 'latin1');
    return b;
  },
  svg(): Buffer {
    return Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>');
  },
  html(): Buffer {
    return Buffer.from('<!doctype html><html><body><script>fetch("/api/auth/me")</script></body></html>');
  },
  text(): Buffer {
    return Buffer.from('Order 1234\nDelivered late, box damaged.\n');
  },
};

export interface UploadAnswer { status: number; body: any; headers: Headers }

/** POST /api/conversations/{id}/files with the bytes as the body (what the web apps send). */
export async function upload(baseUrl: string, token: string | undefined, conversationId: string, bytes: Buffer, name: string,
  opts: { clientId?: string; contentType?: string } = {}): Promise<UploadAnswer> {
  const clientId = opts.clientId ?? randomUUID();
  const res = await fetch(`${baseUrl}/api/conversations/${conversationId}/files?clientId=${clientId}&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'Content-Type': opts.contentType ?? 'application/octet-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  let body: any = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body, headers: res.headers };
}

/** Fresh signed links of a file, as `token` (null answer: the refusal's status). */
export async function fileLinks(baseUrl: string, token: string | undefined, conversationId: string, fileId: string) {
  const res = await fetch(`${baseUrl}/api/conversations/${conversationId}/files/${fileId}/links`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() as { url: string; thumbnailUrl: string | null; expiresAt: string } };
}

/** Downloads a signed link (no token: the link is the permission). */
export async function download(baseUrl: string, url: string) {
  const res = await fetch(`${baseUrl}${url}`);
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
