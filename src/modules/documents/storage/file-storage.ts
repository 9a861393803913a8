import type { Readable } from 'node:stream';

/** An object held by the storage: its key (the content's SHA-256, hex) and when it was last written. */
export interface StoredObject {
  key: string;
  modifiedAt: Date;
}

/**
 * Where file contents live, content-addressed: the key of a file is the SHA-256 of its bytes, so the same scan
 * uploaded twice, or re-used by another dossier (Nghị định 45/2020 Art. 16, the applicant's data store), is held
 * once. Uploads are first spooled to a local file (hashed and checked as they stream), then `commit` moves that
 * file into storage; when `commit` returns the object is durable, so a row may point at it.
 */
export interface FileStorage {
  readonly kind: 'fs' | 's3';
  /** Creates what the storage needs (directories, the bucket if missing); called at start. */
  init(): Promise<void>;
  /** Moves a complete local file (already fsynced) into storage under `key`; the local file is gone afterwards. */
  commit(localPath: string, key: string, size: number): Promise<void>;
  /** The object's bytes as a stream; a missing key rejects with `ObjectMissing`. */
  open(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
  /** Every object, for the orphan sweep. */
  list(): AsyncIterable<StoredObject>;
  /** Releases connections (the S3 client's sockets). */
  close?(): void;
}

export class ObjectMissing extends Error {
  constructor(readonly key: string) {
    super(`stored object ${key} is missing`);
    this.name = 'ObjectMissing';
  }
}

export const isSha256Key = (key: string) => /^[0-9a-f]{64}$/.test(key);
