import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../../db/client.js';
import { runMigrations } from '../../../db/migrate.js';
import { databaseStorage, type FileStorage } from '../../../api/files/storage.js';
import type { ChatMessage } from '../../../domain/messages.js';
import { conversationHeldBy, staff } from '../../security/lib/principals.js';
import { download, fileLinks, fixtures, upload } from '../../helpers/files.js';
import { startS3rver } from '../../helpers/s3rver.js';
import { createTestDatabase, startStack, type Stack } from '../../helpers/stack.js';

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** The one contract every file storage keeps; run against each implementation below. */
function storageContract(name: string, make: () => FileStorage) {
  describe(`${name} file storage contract`, () => {
    it('puts, heads, streams back and deletes an object, byte for byte', async () => {
      const store = make();
      const key = `files/${randomUUID()}/original`;
      const data = Buffer.concat([await fixtures.jpeg(300, 200), Buffer.from([0, 255, 0, 128])]);
      await store.put(key, data, 'image/jpeg');
      expect(await store.head(key)).toEqual({ contentType: 'image/jpeg', size: data.length });
      const got = await store.get(key);
      expect(got).toMatchObject({ contentType: 'image/jpeg', size: data.length });
      expect((await readAll(got!.body)).equals(data)).toBe(true);
      await store.delete(key);
      expect(await store.head(key)).toBeNull();
      expect(await store.get(key)).toBeNull();
    });

    it('answers null for a missing key and deletes a missing key without error', async () => {
      const store = make();
      const key = `files/${randomUUID()}/thumbnail`;
      expect(await store.head(key)).toBeNull();
      expect(await store.get(key)).toBeNull();
      await expect(store.delete(key)).resolves.toBeUndefined();
    });

    it('keeps keys apart and stores a 3 MB object whole', async () => {
      const store = make();
      const a = `files/${randomUUID()}/original`;
      const b = `files/${randomUUID()}/original`;
      const big = Buffer.alloc(3 * 1024 * 1024, 7);
      big.write('%PDF-1.4', 0);
      await Promise.all([store.put(a, big, 'application/pdf'), store.put(b, Buffer.from('b'), 'text/plain')]);
      expect((await readAll((await store.get(a))!.body)).equals(big)).toBe(true);
      expect((await readAll((await store.get(b))!.body)).toString()).toBe('b');
      await store.delete(a);
      expect(await store.head(b)).toEqual({ contentType: 'text/plain', size: 1 });
      await store.delete(b);
    });
  });
}

let database: Database;
let s3: Awaited<ReturnType<typeof startS3rver>>;
beforeAll(async () => {
  database = connectDatabase(await createTestDatabase(), 5);
  await runMigrations(database.db);
  s3 = await startS3rver();
});
afterAll(async () => {
  await database?.close();
  await s3?.stop();
});

storageContract('database (PostgreSQL bytea, the default)', () => databaseStorage(database.db));
storageContract('S3 (s3rver, through @aws-sdk/client-s3)', () => s3.storage);

describe('the desk with FILE_STORAGE=s3', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ api: { files: { storage: s3.storage } } });
  });
  afterAll(async () => { await stack?.stop(); });

  it('stores an uploaded image and its thumbnail in the bucket, not the database, and serves them back', async () => {
    const { alice, bob, admin } = await staff(stack.baseUrl);
    const visitor = await conversationHeldBy(stack.baseUrl, alice, 'S3 Visitor');
    const png = await fixtures.pngWithExif(500, 500);
    const sent = await upload(stack.baseUrl, visitor.token, visitor.conversation.id, png, 'receipt.png');
    expect(sent.status).toBe(201);
    const body = (sent.body.message as ChatMessage).body;
    if (body.kind !== 'file') throw new Error('not a file');
    expect(await s3.storage.head(`files/${body.fileId}/original`)).toMatchObject({ contentType: 'image/png' });
    expect(await s3.storage.head(`files/${body.fileId}/thumbnail`)).toMatchObject({ contentType: 'image/webp' });
    expect((await stack.database.pool.query('select count(*)::int as n from file_blobs')).rows[0].n).toBe(0);
    const links = await fileLinks(stack.baseUrl, alice.token, visitor.conversation.id, body.fileId);
    const file = await download(stack.baseUrl, links.body.url);
    expect(file.status).toBe(200);
    expect(file.bytes.length).toBe(body.size);
    expect((await download(stack.baseUrl, links.body.thumbnailUrl!)).headers.get('content-type')).toBe('image/webp');
    visitor.close();
    for (const c of [alice, bob, admin]) c.close();
  });
});
