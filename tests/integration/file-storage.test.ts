import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DomainError } from '../../src/lib/errors.js';
import { createFiles, ObjectMissing, pdfPageCount, spoolUpload, type Files } from '../../src/modules/documents/index.js';
import { startS3Server } from '../helpers/s3-server.js';
import { minimalPdf, png } from '../helpers/files.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const read = async (r: Readable) => {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

let s3: Awaited<ReturnType<typeof startS3Server>>;
const dirs: string[] = [];
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function filesFor(kind: 'fs' | 's3'): Promise<Files> {
  const dir = await mkdtemp(join(tmpdir(), 'motcua-storage-'));
  dirs.push(dir);
  return createFiles(loadConfig({ FILE_DATA_DIR: dir, ...(kind === 's3' ? s3.env : {}) }));
}

// The same suite against the file system and against a real S3-protocol server.
describe.each(['fs', 's3'] as const)('file storage: %s', (kind) => {
  let files: Files;
  beforeAll(async () => {
    files = await filesFor(kind);
  });
  afterAll(() => files.storage.close?.());

  const tooLarge = () => new DomainError('FILE_TOO_LARGE', 'file: too large');

  it('stores a spooled upload under its SHA-256 and gives the same bytes back', async () => {
    const content = Buffer.concat([png, Buffer.alloc(300_000, 1)]);
    const spooled = await spoolUpload(Readable.from([content.subarray(0, 5), content.subarray(5)]), { dir: files.spoolDir, maxBytes: 1e6, tooLarge });
    expect(spooled).toMatchObject({ sha256: sha(content), size: content.length, mediaType: 'image/png' });
    await files.storage.commit(spooled.path, spooled.sha256, spooled.size);
    expect(await readdir(files.spoolDir)).toEqual([]);
    expect(await files.storage.exists(spooled.sha256)).toBe(true);
    expect((await read(await files.storage.open(spooled.sha256))).equals(content)).toBe(true);
    const listed = [];
    for await (const o of files.storage.list()) listed.push(o);
    expect(listed.map((o) => o.key)).toContain(spooled.sha256);
    expect(listed[0]!.modifiedAt).toBeInstanceOf(Date);
    // The same content again overwrites in place (content-addressed): one object.
    const again = await spoolUpload(Readable.from([content]), { dir: files.spoolDir, maxBytes: 1e6, tooLarge });
    await files.storage.commit(again.path, again.sha256, again.size);
    const after = [];
    for await (const o of files.storage.list()) after.push(o.key);
    expect(after.filter((k) => k === spooled.sha256)).toHaveLength(1);
    await files.storage.remove(spooled.sha256);
    expect(await files.storage.exists(spooled.sha256)).toBe(false);
    await expect(files.storage.open(spooled.sha256)).rejects.toBeInstanceOf(ObjectMissing);
  });

  it('refuses another type by content, a file over the limit and a truncated stream, leaving nothing spooled', async () => {
    const spool = (r: Readable, maxBytes = 1e6) => spoolUpload(r, { dir: files.spoolDir, maxBytes, tooLarge });
    await expect(spool(Readable.from([Buffer.from('GIF89a........')]))).rejects.toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE' });
    await expect(spool(Readable.from([minimalPdf(1), Buffer.alloc(2000)]), 1000)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    const broken = new Readable({
      read() {
        this.push(minimalPdf(1));
        this.destroy(new Error('aborted'));
      },
    });
    await expect(spool(broken)).rejects.toMatchObject({ code: 'UPLOAD_INCOMPLETE' });
    expect(await readdir(files.spoolDir)).toEqual([]);
  });
});

describe('PDF pages', () => {
  it('counts the page objects of a PDF', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'motcua-pdf-'));
    dirs.push(dir);
    await writeFile(join(dir, 'a.pdf'), minimalPdf(3));
    expect(await pdfPageCount(join(dir, 'a.pdf'))).toBe(3);
  });
});
