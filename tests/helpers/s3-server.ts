import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { freePort } from './free-port.js';

/**
 * A real S3-protocol server (s3rver, objects on disk) on a free port, for the S3 storage's tests: the SDK speaks
 * HTTP to it exactly as to any S3-compatible store. Its env is what the app needs to use it.
 */
export async function startS3Server(): Promise<{ env: Record<string, string>; endpoint: string; stop: () => Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'motcua-s3-'));
  const port = await freePort();
  const server = new S3rver({ port, address: '127.0.0.1', silent: true, directory });
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    env: {
      FILE_STORAGE: 's3',
      FILE_S3_ENDPOINT: endpoint,
      FILE_S3_BUCKET: 'motcua-files',
      FILE_S3_REGION: 'us-east-1',
      // s3rver's fixed development credentials.
      FILE_S3_ACCESS_KEY_ID: 'S3RVER',
      FILE_S3_SECRET_ACCESS_KEY: 'S3RVER',
      FILE_S3_FORCE_PATH_STYLE: 'true',
    },
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
