import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isSha256Key, ObjectMissing, type FileStorage, type StoredObject } from './file-storage.js';

/**
 * The local file system: `<dir>/objects/<first two hex digits>/<sha256>`. The spool (`<dir>/tmp`) is on the same
 * file system, so committing is a rename: atomic, and a reader sees the whole file or none. The spooled file is
 * fsynced before the rename and the directory after it, so the object survives a crash once `commit` returns.
 */
export class FsStorage implements FileStorage {
  readonly kind = 'fs' as const;
  constructor(private readonly dir: string) {}

  private pathOf(key: string): string {
    if (!isSha256Key(key)) throw new Error(`not a content key: ${key}`);
    return join(this.dir, 'objects', key.slice(0, 2), key);
  }

  async init(): Promise<void> {
    await mkdir(join(this.dir, 'objects'), { recursive: true });
  }

  async commit(localPath: string, key: string): Promise<void> {
    const target = this.pathOf(key);
    const parent = join(this.dir, 'objects', key.slice(0, 2));
    await mkdir(parent, { recursive: true });
    await rename(localPath, target);
    await fsyncDir(parent);
  }

  async open(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    // Opened before the stream is returned, so a missing file is an error here rather than in the response.
    const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? new ObjectMissing(key) : err;
    });
    return handle.createReadStream();
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.pathOf(key)).then(
      () => true,
      () => false,
    );
  }

  async remove(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  async *list(): AsyncIterable<StoredObject> {
    const root = join(this.dir, 'objects');
    const shards = await readdir(root).catch(() => [] as string[]);
    for (const shard of shards) {
      for (const name of await readdir(join(root, shard)).catch(() => [] as string[])) {
        if (!isSha256Key(name)) continue;
        const s = await stat(join(root, shard, name)).catch(() => null);
        if (s) yield { key: name, modifiedAt: s.mtime };
      }
    }
  }
}

/** A directory's entry (the rename) is durable only once the directory itself is fsynced (POSIX rename(2)). */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes a spooled file, ignoring one already gone. */
export const discard = (path: string) => rm(path, { force: true });
