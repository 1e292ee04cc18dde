import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { FileStorage } from './storage.js';

/** S3-compatible object storage settings (env S3_*; README, "Files"). */
export interface S3StorageConfig {
  bucket: string;
  /** Leave out for AWS itself; set for MinIO, Ceph, R2, … (e.g. http://minio:9000). */
  endpoint?: string;
  region: string;
  /** Leave both out to use the SDK's default chain (instance role, AWS_* variables). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (http://host/bucket/key), which most self-hosted servers need. */
  forcePathStyle: boolean;
  /** Prefix of every key, so one bucket can hold several desks. */
  prefix?: string;
}

const notFound = (err: unknown) => err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NoSuchKey' || err.name === 'NotFound');

export function s3Storage(config: S3StorageConfig): FileStorage & { client: S3Client } {
  const client = new S3Client({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.accessKeyId && config.secretAccessKey ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } } : {}),
    // Only where the API requires them: many S3-compatible servers do not know the SDK's newer default checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = config.bucket;
  const Key = (key: string) => `${config.prefix ?? ''}${key}`;
  return {
    kind: 's3',
    client,
    async put(key, data, contentType) {
      await client.send(new PutObjectCommand({ Bucket, Key: Key(key), Body: data, ContentType: contentType, ContentLength: data.length }));
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: Key(key) }));
        if (!out.Body) return null;
        return { contentType: out.ContentType ?? 'application/octet-stream', size: Number(out.ContentLength ?? 0), body: out.Body as Readable };
      } catch (err) {
        if (notFound(err)) return null;
        throw err;
      }
    },
    async head(key) {
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket, Key: Key(key) }));
        return { contentType: out.ContentType ?? 'application/octet-stream', size: Number(out.ContentLength ?? 0) };
      } catch (err) {
        if (notFound(err)) return null;
        throw err;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: Key(key) }));
    },
  };
}
