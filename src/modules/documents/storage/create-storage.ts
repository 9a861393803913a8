import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../../../config.js';
import type { FileStorage } from './file-storage.js';
import { FsStorage } from './fs-storage.js';

/** The files' storage as configured (FILE_STORAGE), with the upload spool under FILE_DATA_DIR/tmp. */
export interface Files {
  storage: FileStorage;
  /** Where uploads are written while they stream in: local disk, never memory. */
  spoolDir: string;
}

type FileConfig = Pick<
  Config,
  | 'FILE_STORAGE'
  | 'FILE_DATA_DIR'
  | 'FILE_S3_ENDPOINT'
  | 'FILE_S3_BUCKET'
  | 'FILE_S3_REGION'
  | 'FILE_S3_ACCESS_KEY_ID'
  | 'FILE_S3_SECRET_ACCESS_KEY'
  | 'FILE_S3_FORCE_PATH_STYLE'
>;

/** Builds the storage and creates its directories (and the bucket, if missing): the data directory exists from start-up on. */
export async function createFiles(config: FileConfig): Promise<Files> {
  const dir = resolve(config.FILE_DATA_DIR);
  const spoolDir = join(dir, 'tmp');
  await mkdir(spoolDir, { recursive: true });
  // The S3 SDK is loaded only when it is used: it is large, and every process start (admin commands too) would pay
  // for loading it.
  const storage: FileStorage =
    config.FILE_STORAGE === 's3'
      ? new (await import('./s3-storage.js')).S3Storage({
          endpoint: config.FILE_S3_ENDPOINT,
          bucket: config.FILE_S3_BUCKET ?? '',
          region: config.FILE_S3_REGION,
          accessKeyId: config.FILE_S3_ACCESS_KEY_ID,
          secretAccessKey: config.FILE_S3_SECRET_ACCESS_KEY,
          forcePathStyle: config.FILE_S3_FORCE_PATH_STYLE,
        })
      : new FsStorage(dir);
  await storage.init();
  return { storage, spoolDir };
}
