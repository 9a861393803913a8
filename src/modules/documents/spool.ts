import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../../lib/errors.js';
import { discard } from './storage/fs-storage.js';
import { detectMediaType, type MediaType } from './media-type.js';

export interface Spooled {
  path: string;
  sha256: string;
  size: number;
  mediaType: MediaType;
}

/**
 * Streams an upload to a local spool file, hashing it as it goes and never holding it whole in memory. The type
 * is judged from the first bytes (magic numbers, not the name or the declared type), so a file of another kind is
 * refused as soon as it starts; a file larger than `maxBytes` is refused as soon as it passes the limit. The spool
 * file is flushed to disk (fsync) before it is closed. On any failure the spool file is removed.
 */
export async function spoolUpload(source: Readable, opts: { dir: string; maxBytes: number; tooLarge: () => DomainError }): Promise<Spooled> {
  const path = join(opts.dir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  let mediaType: MediaType | null = null;
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > opts.maxBytes) return done(opts.tooLarge());
      if (mediaType === null && head.length < 8) {
        head = Buffer.concat([head, chunk.subarray(0, 8 - head.length)]);
        if (head.length >= 8) {
          mediaType = detectMediaType(head);
          if (!mediaType) return done(unsupported());
        }
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, check, createWriteStream(path, { flags: 'wx', flush: true }));
    // The multipart parser ends the file stream early, without an error, when its own limit is reached.
    if ((source as { truncated?: boolean }).truncated) throw opts.tooLarge();
    if (size === 0) throw new DomainError('VALIDATION_FAILED', 'file: the file is empty');
    mediaType ??= detectMediaType(head);
    if (!mediaType) throw unsupported();
    return { path, sha256: hash.digest('hex'), size, mediaType };
  } catch (err) {
    await discard(path);
    if (err instanceof DomainError) throw err;
    throw new DomainError('UPLOAD_INCOMPLETE', `file: the upload ended before the file was complete (${(err as Error).message})`);
  }
}

const unsupported = () =>
  new DomainError('UNSUPPORTED_FILE_TYPE', 'file: only PDF, JPEG and PNG files are accepted (the type is read from the content, not the name)');
