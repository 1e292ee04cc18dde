import { Readable } from 'node:stream';
import type { Db } from '../../db/client.js';
import { deleteBlob, headBlob, putBlob, readBlob } from '../../db/files.js';

/** What a stored object is: its type and size in bytes. */
export interface StoredObjectInfo { contentType: string; size: number }

/**
 * Where the bytes of files live. Keys are opaque (Parley makes them: `files/<fileId>/original`), values
 * are immutable once put. Two implementations: the database (default) and S3-compatible object storage
 * (api/files/s3-storage.ts), chosen by FILE_STORAGE. tests/integration/files/storage-contract.test.ts
 * runs the same contract against both.
 */
export interface FileStorage {
  readonly kind: 'database' | 's3';
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The object as a stream, or null when there is none. */
  get(key: string): Promise<(StoredObjectInfo & { body: Readable }) | null>;
  head(key: string): Promise<StoredObjectInfo | null>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/**
 * The embedded default: a bytea table in Parley's own PostgreSQL. Chosen over a data directory
 * because API processes are stateless and may run on several machines (docker-compose scales them):
 * every process sees the same files, backups of the database include them, and a file's bytes and
 * its row live in one store. Files are bounded (FILES_MAX_BYTES, 10 MB by default), well inside
 * bytea's 1 GB; deployments with much traffic should use S3.
 */
export function databaseStorage(db: Db): FileStorage {
  return {
    kind: 'database',
    put: (key, data, contentType) => putBlob(db, { key, data, contentType, size: data.length }),
    async get(key) {
      const row = await readBlob(db, key);
      return row ? { contentType: row.contentType, size: row.size, body: Readable.from([row.data]) } : null;
    },
    head: (key) => headBlob(db, key),
    delete: (key) => deleteBlob(db, key),
  };
}
