import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLinkSigner } from '../../../api/files/links.js';
import type { ChatMessage } from '../../../domain/messages.js';
import { conversationHeldBy, idleVisitor, staff } from '../../security/lib/principals.js';
import type { StaffClient, VisitorClient } from '../../helpers/clients.js';
import { download, fileLinks, fixtures, upload } from '../../helpers/files.js';
import { SECRET, startStack, type Stack } from '../../helpers/stack.js';

const MAX_BYTES = 512 * 1024;
const MAX_PIXELS = 1_000_000;

describe('files: upload, sniffing, thumbnails, signed downloads', () => {
  let stack: Stack;
  let team: { alice: StaffClient; bob: StaffClient; admin: StaffClient };
  let visitor: VisitorClient;
  let otherVisitor: VisitorClient;
  let conversationId: string;

  beforeAll(async () => {
    stack = await startStack({ api: { files: { settings: { maxBytes: MAX_BYTES, maxImagePixels: MAX_PIXELS } } } });
    team = await staff(stack.baseUrl);
    visitor = await conversationHeldBy(stack.baseUrl, team.alice, 'Fiona');
    otherVisitor = await idleVisitor(stack.baseUrl, 'Other');
    conversationId = visitor.conversation.id;
  });
  afterAll(async () => {
    visitor?.close();
    otherVisitor?.close();
    for (const c of Object.values(team ?? {})) c.close();
    await stack?.stop();
  });

  /** What a refused upload must leave as it was. */
  const stored = async () => {
    const { rows: [r] } = await stack.database.pool.query<{ files: string; blobs: string; messages: string }>(
      `select (select count(*) from files) as files, (select count(*) from file_blobs) as blobs, (select count(*) from messages where body->>'kind' = 'file') as messages`);
    return r;
  };

  it('the visitor sends an image: stored without EXIF, a thumbnail made, the agent gets the message, both can open it', async () => {
    const png = await fixtures.pngWithExif(640, 480);
    expect((await sharp(png).metadata()).exif).toBeDefined();
    const agentSees = team.alice.waitFor<ChatMessage>('message', (m) => m.body.kind === 'file' && m.sender === 'visitor');
    const sent = await upload(stack.baseUrl, visitor.token, conversationId, png, '我的照片.png', { contentType: 'text/plain' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const message = sent.body.message as ChatMessage;
    expect(message.body).toMatchObject({ kind: 'file', name: '我的照片.png', mime: 'image/png', image: { width: 640, height: 480, thumbWidth: 320, thumbHeight: 240 } });
    expect(message.senderName).toBe('Fiona');
    expect((await agentSees).id).toBe(message.id);
    if (message.body.kind !== 'file') throw new Error('not a file');

    for (const token of [visitor.token, team.alice.token, team.admin.token]) {
      const links = await fileLinks(stack.baseUrl, token, conversationId, message.body.fileId);
      expect(links.status).toBe(200);
      expect(links.body.url).toMatch(/^\/api\/files\/[0-9a-f-]+\/original\?exp=\d+&sig=/);
      expect(Date.parse(links.body.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 10_000);
      const thumb = await download(stack.baseUrl, links.body.thumbnailUrl!);
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/webp');
      expect((await sharp(thumb.bytes).metadata()).width).toBe(320);
    }
    const links = await fileLinks(stack.baseUrl, visitor.token, conversationId, message.body.fileId);
    const original = await download(stack.baseUrl, links.body.url);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/png');
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    expect(original.headers.get('content-security-policy')).toBe("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
    expect(original.headers.get('content-disposition')).toMatch(/^inline; filename="____\.png"; filename\*=UTF-8''%E6%88%91/);
    const meta = await sharp(original.bytes).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([640, 480, undefined]);
    expect(original.bytes.includes(Buffer.from('SecretCam'))).toBe(false);
  });

  it('the agent sends a PDF: the visitor downloads it as an attachment, byte for byte', async () => {
    const pdf = fixtures.pdf();
    const visitorSees = visitor.waitFor<ChatMessage>('message', (m) => m.body.kind === 'file' && m.sender === 'agent');
    const sent = await upload(stack.baseUrl, team.alice.token, conversationId, pdf, 'Invoice 2026.pdf');
    expect(sent.status).toBe(201);
    expect(sent.body.message.body).toMatchObject({ kind: 'file', name: 'Invoice 2026.pdf', mime: 'application/pdf', size: pdf.length });
    expect(sent.body.message.body.image).toBeUndefined();
    const seen = await visitorSees;
    const links = await fileLinks(stack.baseUrl, visitor.token, conversationId, seen.body.kind === 'file' ? seen.body.fileId : '');
    expect(links.body.thumbnailUrl).toBeNull();
    const file = await download(stack.baseUrl, links.body.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="Invoice 2026.pdf"; filename*=UTF-8''Invoice%202026.pdf`);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.bytes.equals(pdf)).toBe(true);
  });

  it('keeps files to those who may see the conversation: another visitor 404, another agent 403, no token 401', async () => {
    const before = await stored();
    const png = await fixtures.pngWithExif(50, 50);
    expect((await upload(stack.baseUrl, otherVisitor.token, conversationId, png, 'x.png')).status).toBe(404);
    expect((await upload(stack.baseUrl, team.bob.token, conversationId, png, 'x.png')).status).toBe(403);
    expect((await upload(stack.baseUrl, team.admin.token, conversationId, png, 'x.png')).status).toBe(403);
    expect((await upload(stack.baseUrl, undefined, conversationId, png, 'x.png')).status).toBe(401);
    expect((await upload(stack.baseUrl, visitor.token, randomUUID(), png, 'x.png')).status).toBe(404);
    expect(await stored()).toEqual(before);

    const mine = await upload(stack.baseUrl, visitor.token, conversationId, png, 'mine.png');
    const fileId = mine.body.message.body.fileId as string;
    expect((await fileLinks(stack.baseUrl, otherVisitor.token, conversationId, fileId)).status).toBe(404);
    expect((await fileLinks(stack.baseUrl, team.bob.token, conversationId, fileId)).status).toBe(403);
    expect((await fileLinks(stack.baseUrl, undefined, conversationId, fileId)).status).toBe(401);
    // a file asked for through a conversation it does not belong to
    const theirs = await upload(stack.baseUrl, otherVisitor.token, otherVisitor.conversation.id, fixtures.text(), 'notes.txt');
    expect(theirs.status).toBe(201);
    expect((await fileLinks(stack.baseUrl, visitor.token, conversationId, theirs.body.message.body.fileId)).status).toBe(404);
    expect((await fileLinks(stack.baseUrl, otherVisitor.token, otherVisitor.conversation.id, fileId)).status).toBe(404);
  });

  it('refuses a file over the size limit (413) or empty (400), and stores nothing', async () => {
    const before = await stored();
    const big = Buffer.concat([fixtures.pdf(), Buffer.alloc(MAX_BYTES)]);
    const refused = await upload(stack.baseUrl, visitor.token, conversationId, big, 'big.pdf');
    expect(refused.status).toBe(413);
    expect(refused.body.error.message).toBe('The file is larger than 524.3 kB');
    expect((await upload(stack.baseUrl, visitor.token, conversationId, Buffer.alloc(0), 'empty.txt')).status).toBe(400);
    expect(await stored()).toEqual(before);
  });

  it('decides the type by the content, not the name or Content-Type: a disguised file is refused (415) and nothing stored', async () => {
    const before = await stored();
    const cases: Array<[Buffer, string, RegExp]> = [
      [fixtures.exe(), 'holiday.png', /not accepted/],
      [fixtures.svg(), 'logo.png', /HTML and SVG files are not accepted/],
      [fixtures.svg(), 'logo.svg', /HTML and SVG/],
      [fixtures.html(), 'readme.txt', /HTML and SVG/],
      [Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]), 'data.pdf', /not accepted/],
    ];
    for (const [bytes, name, message] of cases) {
      const res = await upload(stack.baseUrl, visitor.token, conversationId, bytes, name, { contentType: 'image/png' });
      expect(res.status, name).toBe(415);
      expect(res.body.error.message, name).toMatch(message);
    }
    expect(await stored()).toEqual(before);

    // a PDF named like an image is a PDF: no inline image, its name gets the right extension
    const pdfAsPng = await upload(stack.baseUrl, visitor.token, conversationId, fixtures.pdf(), 'scan.png', { contentType: 'image/png' });
    expect(pdfAsPng.status).toBe(201);
    expect(pdfAsPng.body.message.body).toMatchObject({ mime: 'application/pdf', name: 'scan.png.pdf' });
    expect(pdfAsPng.body.message.body.image).toBeUndefined();
    // plain text is text, downloaded as an attachment
    const text = await upload(stack.baseUrl, visitor.token, conversationId, fixtures.text(), 'notes.log');
    expect(text.body.message.body).toMatchObject({ mime: 'text/plain', name: 'notes.log' });
    const links = await fileLinks(stack.baseUrl, visitor.token, conversationId, text.body.message.body.fileId);
    expect((await download(stack.baseUrl, links.body.url)).headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('refuses a damaged image (400) and one with too many pixels (413) before storing anything', async () => {
    const before = await stored();
    const png = await fixtures.pngWithExif(400, 300);
    const damaged = await upload(stack.baseUrl, visitor.token, conversationId, png.subarray(0, 100), 'broken.png');
    expect(damaged.status).toBe(400);
    expect(damaged.body.error.message).toMatch(/could not be read/);
    const huge = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#fff' } }).png().toBuffer();
    const refused = await upload(stack.baseUrl, visitor.token, conversationId, huge, 'huge.png');
    expect(refused.status).toBe(413);
    expect(refused.body.error.message).toMatch(/too many pixels/);
    expect(await stored()).toEqual(before);
  });

  it('a retried upload (same clientId) returns the first message and stores nothing new; another sender cannot reuse the id', async () => {
    const clientId = randomUUID();
    const jpeg = await fixtures.jpeg();
    const first = await upload(stack.baseUrl, visitor.token, conversationId, jpeg, 'photo.jpeg', { clientId });
    expect(first.status).toBe(201);
    const before = await stored();
    const again = await Promise.all([1, 2, 3].map(() => upload(stack.baseUrl, visitor.token, conversationId, jpeg, 'photo.jpeg', { clientId })));
    for (const r of again) {
      expect(r.status).toBe(200);
      expect(r.body.message.id).toBe(first.body.message.id);
    }
    expect(await stored()).toEqual(before);
    const hijack = await upload(stack.baseUrl, team.alice.token, conversationId, jpeg, 'photo.jpeg', { clientId });
    expect(hijack.status).toBe(409);
    expect(await stored()).toEqual(before);
  });

  it('refuses a tampered or expired link with 403', async () => {
    const sent = await upload(stack.baseUrl, visitor.token, conversationId, await fixtures.jpeg(100, 80), 'tiny.jpg');
    const fileId = sent.body.message.body.fileId as string;
    const { body: links } = await fileLinks(stack.baseUrl, visitor.token, conversationId, fileId);
    expect((await download(stack.baseUrl, links.url)).status).toBe(200);
    const url = new URL(links.url, 'http://x');
    const exp = Number(url.searchParams.get('exp'));
    const sig = url.searchParams.get('sig')!;
    const other = randomUUID();
    const tampered = [
      `/api/files/${fileId}/original?exp=${exp + 3600}&sig=${sig}`,
      `/api/files/${fileId}/original?exp=${exp}&sig=${sig.slice(0, -2)}AA`,
      `/api/files/${fileId}/thumbnail?exp=${exp}&sig=${sig}`,
      `/api/files/${other}/original?exp=${exp}&sig=${sig}`,
      `/api/files/${fileId}/original?exp=${exp}&sig=x`,
    ];
    for (const t of tampered) {
      const res = await download(stack.baseUrl, t);
      expect(res.status, t).toBe(403);
      expect(JSON.parse(res.bytes.toString()).error.message).toBe('This link is not valid');
    }
    // signed with the desk's key an hour ago, valid for 15 minutes: expired
    const old = fileLinkSigner(SECRET, 900).sign(fileId, 'original', Date.now() - 3_600_000);
    const expired = await download(stack.baseUrl, old.url);
    expect(expired.status).toBe(403);
    expect(JSON.parse(expired.bytes.toString()).error.message).toMatch(/expired/);
    // without signature parts at all
    expect((await download(stack.baseUrl, `/api/files/${fileId}/original`)).status).toBe(400);
  });

  it('answers the limits, and refuses an upload into a closed conversation (409)', async () => {
    const limits = await fetch(`${stack.baseUrl}/api/files/limits`, { headers: { Authorization: `Bearer ${visitor.token}` } }).then((r) => r.json());
    expect(limits).toMatchObject({ maxBytes: MAX_BYTES, allowedTypes: expect.arrayContaining(['image/png', 'application/pdf']) });
    const closing = await idleVisitor(stack.baseUrl, 'Closer');
    expect((await fetch(`${stack.baseUrl}/api/conversations/${closing.conversation.id}/close`, {
      method: 'POST', headers: { Authorization: `Bearer ${closing.token}`, 'Content-Type': 'application/json' }, body: '{}',
    })).status).toBe(200);
    const before = await stored();
    const res = await upload(stack.baseUrl, closing.token, closing.conversation.id, fixtures.text(), 'late.txt');
    expect(res.status).toBe(409);
    expect(await stored()).toEqual(before);
    closing.close();
  });
});
