/**
 * The `files` phase (`npm run bench -- --only files`): what an attachment costs the API. A visitor
 * uploads photo-sized JPEGs (sniffed, decoded with the pixel bound, re-encoded without metadata, a
 * thumbnail made, both stored in PostgreSQL) one at a time and four at a time, then 1 MB PDFs, and
 * fetches fresh links and thumbnails as the apps do. Runs against the bench's API processes.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { operations } from '../client/operations.js';
import { restClient } from '../client/rest.js';
import { round, summarize } from './lib/stats.js';

export interface FilesParams { images: number; pdfs: number; concurrency: number }

async function photo(): Promise<Buffer> {
  // Noise compresses like a real photo (about 1 MB at this size), unlike a flat colour.
  return sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#7aa', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ quality: 85 }).withExif({ IFD0: { Make: 'BenchCam' } }).toBuffer();
}

export async function runFilesPhase(apiUrl: string, p: FilesParams, log: (line: string) => void) {
  const rest = restClient(apiUrl);
  const session = await rest.call(operations.createVisitorSession, { body: { displayName: 'Bench files' } });
  const conversation = await rest.call(operations.startConversation, { token: session.token, body: {} });
  const image = await photo();
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024, 0x20)]);
  log(`files: ${p.images} images of ${round(image.length / 1024)} kB, ${p.pdfs} PDFs of 1 MB, concurrency ${p.concurrency}`);

  const upload = async (bytes: Buffer, name: string) => {
    const t0 = performance.now();
    const res = await fetch(`${apiUrl}/api/conversations/${conversation.id}/files?clientId=${randomUUID()}&name=${name}`, {
      method: 'POST', headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(bytes),
    });
    const body = await res.json() as { message?: { body: { fileId: string } } };
    if (res.status !== 201 || !body.message) throw new Error(`upload answered ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
    return { ms: performance.now() - t0, fileId: body.message.body.fileId };
  };

  const sequential: number[] = [];
  const fileIds: string[] = [];
  for (let i = 0; i < p.images; i++) {
    const r = await upload(image, `photo-${i}.jpg`);
    sequential.push(r.ms);
    fileIds.push(r.fileId);
  }
  const t0 = performance.now();
  const concurrent: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: p.concurrency }, async () => {
    while (next < p.images) {
      next++;
      concurrent.push((await upload(image, 'photo-c.jpg')).ms);
    }
  }));
  const perSecond = round(p.images / ((performance.now() - t0) / 1000), 2);
  const pdfs: number[] = [];
  for (let i = 0; i < p.pdfs; i++) pdfs.push((await upload(pdf, `doc-${i}.pdf`)).ms);

  const thumbs: number[] = [];
  for (const fileId of fileIds) {
    const t = performance.now();
    const links = await rest.call(operations.getFileLinks, { params: { id: conversation.id, fileId }, token: session.token });
    const res = await fetch(`${apiUrl}${links.thumbnailUrl}`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`thumbnail answered ${res.status}`);
    thumbs.push(performance.now() - t);
  }
  const details = {
    imageBytes: image.length,
    imageUploadMs: summarize(sequential),
    imageUploadConcurrentMs: summarize(concurrent),
    imageUploadsPerSecond: perSecond,
    pdfUploadMs: summarize(pdfs),
    linkAndThumbnailMs: summarize(thumbs),
    params: p,
  };
  return {
    results: {
      files_image_upload_p50_ms: details.imageUploadMs.p50,
      files_image_upload_p95_ms: details.imageUploadMs.p95,
      files_image_uploads_per_s: perSecond,
      files_pdf_upload_p95_ms: details.pdfUploadMs.p95,
      files_link_thumbnail_p95_ms: details.linkAndThumbnailMs.p95,
    },
    details,
  };
}
