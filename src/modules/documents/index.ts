export { createFiles, type Files } from './storage/create-storage.js';
export type { FileStorage, StoredObject } from './storage/file-storage.js';
export { ObjectMissing } from './storage/file-storage.js';
export { FsStorage } from './storage/fs-storage.js';
export { S3Storage } from './storage/s3-storage.js';
export { spoolUpload, type Spooled } from './spool.js';
export { detectMediaType, pdfPageCount } from './media-type.js';
