import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { s3Storage, type S3StorageConfig } from '../../api/files/s3-storage.js';

/**
 * A real S3-compatible server (s3rver: the S3 REST API over a local directory) on a free port with a
 * temporary directory, and a bucket in it. Parley's S3 storage talks to it through @aws-sdk/client-s3
 * exactly as it would to AWS, MinIO or R2.
 */
export async function startS3rver(bucket = 'parley-files') {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true });
  const { port } = await server.run();
  const config: S3StorageConfig = {
    bucket, endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true,
  };
  const storage = s3Storage(config);
  await storage.client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    config,
    storage,
    directory,
    async stop() {
      storage.client.destroy();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
