import { sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, loginAs, type TestContext } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { intakeBody, pickProcedure, type ProcedurePick } from '../helpers/dossiers.js';
import { jpeg, minimalPdf, multipart, png } from '../helpers/files.js';
import { startS3Server } from '../helpers/s3-server.js';
import { sweepOrphanFiles } from '../../src/modules/documents/index.js';
import { contextOf } from '../../src/context.js';

const clock = TestClock.atLocal('2024-06-03T08:00:00');
const COMMUNE = '20335';
const DESK = `X${COMMUNE}`;
const OTHER_COMMUNE = '20341';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const system = { kind: 'system', job: 'test' } as const;

type Who = { authorization: string; username: string };

/** The same upload and download behaviour over the file system and over a real S3-protocol server. */
describe.each(['fs', 's3'] as const)('dossier files over %s', (storage) => {
  let ctx: TestContext;
  let procedure: ProcedurePick;
  let desk: Who;
  let other: Who;
  let s3: Awaited<ReturnType<typeof startS3Server>> | null = null;

  beforeAll(async () => {
    s3 = storage === 's3' ? await startS3Server() : null;
    ctx = await startTestApp({ now: clock.now, env: { FILE_MAX_BYTES: '200000', FILE_DOSSIER_MAX_BYTES: '400000', ...(s3?.env ?? {}) } });
    procedure = await pickProcedure(ctx, sql`level = 'commune' and jsonb_array_length(documents) >= 2`);
    desk = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: COMMUNE });
    other = await loginAs(ctx, 'desk_officer', { kind: 'unit', code: OTHER_COMMUNE });
  });
  afterAll(async () => {
    await ctx?.close();
    await s3?.stop();
  });

  const receive = async (overrides: Record<string, unknown> = {}) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: intakeBody(procedure, DESK, overrides), headers: desk });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().dossierCode as string;
  };
  const upload = (code: string, content: Buffer, query: string, who: Who = desk, name = 'scan.pdf') => {
    const m = multipart(content, name);
    return ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/files?${query}`, payload: m.payload, headers: { ...who, ...m.headers } });
  };
  const count = async (table: string) => Number((await ctx.deps.pool.query(`select count(*) from ${table}`)).rows[0].count);
  const stored = async () => {
    const keys: string[] = [];
    for await (const o of ctx.deps.files.storage.list()) keys.push(o.key);
    return keys;
  };
  const doc = () => encodeURIComponent(procedure.documents[0]!.name);

  it('uploads a scanned PDF and a photo, lists them with the checklist, and gives the same bytes back (audited)', async () => {
    const code = await receive();
    const pdf = minimalPdf(2, `${storage}-a`);
    const up = await upload(code, pdf, `document=${doc()}&copy=original&source=digitised`);
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ kind: 'document', document: procedure.documents[0]!.name, copyKind: 'original', source: 'digitised', sha256: sha(pdf), size: pdf.length, mediaType: 'application/pdf', pageCount: 2, addedBy: desk.username });
    const photo = jpeg(storage);
    const up2 = await upload(code, photo, 'extra=true&copy=copy&source=electronic', desk, 'photo.txt');
    expect(up2.statusCode, up2.body).toBe(201);
    expect(up2.json()).toMatchObject({ extra: true, mediaType: 'image/jpeg', pageCount: null });

    const list = await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}/files`, headers: desk });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().files).toHaveLength(2);
    expect(list.json().checklist[0]).toMatchObject({ document: procedure.documents[0]!.name, fileIds: [up.json().id] });

    const down = await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}/files/${up.json().id}`, headers: desk });
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(down.rawPayload.equals(pdf)).toBe(true);
    const audit = await ctx.deps.pool.query(`select actor, detail from audit_log where dossier_code = $1 and action = 'file_read'`, [code]);
    expect(audit.rows).toEqual([{ actor: desk.username, detail: { fileId: up.json().id, sha256: sha(pdf) } }]);
  });

  it("is a 404 to another unit's staff, for the list, the file and an upload", async () => {
    const code = await receive();
    const up = await upload(code, minimalPdf(1, `${storage}-b`), 'extra=true&copy=copy&source=digitised');
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}/files`, headers: other })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code}/files/${up.json().id}`, headers: other })).statusCode).toBe(404);
    expect((await upload(code, minimalPdf(1, `${storage}-c`), 'extra=true&copy=copy&source=digitised', other)).statusCode).toBe(404);
    // A file id of another dossier is a 404 too.
    const code2 = await receive();
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/dossiers/${code2}/files/${up.json().id}`, headers: desk })).statusCode).toBe(404);
  });

  it('refuses a wrong type, too large a file, the same file twice, a bad document and a truncated body, leaving nothing behind', async () => {
    const code = await receive();
    const rows = await count('dossier_files');
    const objects = (await stored()).length;
    const gif = await upload(code, Buffer.from('GIF89a-not-accepted-here'), 'extra=true&copy=copy&source=digitised', desk, 'x.pdf');
    expect(gif.statusCode).toBe(415);
    expect(gif.json().error.message).toMatch(/PDF, JPEG and PNG/);
    const big = await upload(code, Buffer.concat([png, Buffer.alloc(250_000)]), 'extra=true&copy=copy&source=digitised');
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toMatch(/FILE_MAX_BYTES/);
    const badDoc = await upload(code, png, 'document=Kh%C3%B4ng%20c%C3%B3&copy=copy&source=digitised');
    expect(badDoc.statusCode).toBe(400);
    expect(badDoc.json().error.message).toMatch(/^document: not a document of procedure/);
    const noCopy = await upload(code, png, 'extra=true&source=digitised');
    expect(noCopy.statusCode).toBe(400);
    expect(noCopy.json().error.message).toMatch(/querystring\.copy/);
    const m = multipart(minimalPdf(1, `${storage}-trunc`));
    const truncated = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${code}/files?extra=true&copy=copy&source=digitised`,
      payload: Buffer.concat([m.head, minimalPdf(1, `${storage}-trunc`)]),
      headers: { ...desk, ...m.headers },
    });
    expect(truncated.statusCode, truncated.body).toBe(400);
    expect(truncated.json().error.code).toBe('UPLOAD_INCOMPLETE');
    expect(await count('dossier_files')).toBe(rows);
    expect((await stored()).length).toBe(objects);
    expect(await readdir(ctx.deps.files.spoolDir)).toEqual([]);

    const once = await upload(code, png, 'extra=true&copy=copy&source=digitised');
    expect(once.statusCode, once.body).toBe(201);
    const twice = await upload(code, png, 'extra=true&copy=original&source=digitised');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('FILE_ALREADY_ON_DOSSIER');
    // The dossier's total: two files of 150 kB fit under 400 kB, a third does not.
    const a = await upload(code, Buffer.concat([png, Buffer.alloc(150_000, 1)]), 'extra=true&copy=copy&source=digitised');
    const b = await upload(code, Buffer.concat([png, Buffer.alloc(150_000, 2)]), 'extra=true&copy=copy&source=digitised');
    const c = await upload(code, Buffer.concat([png, Buffer.alloc(150_000, 3)]), 'extra=true&copy=copy&source=digitised');
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([201, 201, 413]);
    expect(c.json().error.message).toMatch(/FILE_DOSSIER_MAX_BYTES/);
    expect(await count('dossier_files')).toBe(rows + 3);
  });

  it('an upload killed half-way over a real socket leaves no row and no spool file', async () => {
    const code = await receive();
    const rows = await count('dossier_files');
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = ctx.app.server.address() as AddressInfo;
    const content = Buffer.concat([png, Buffer.alloc(180_000, 7)]);
    const m = multipart(content);
    await new Promise<void>((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1/dossiers/${code}/files?extra=true&copy=copy&source=digitised`,
        headers: { ...desk, ...m.headers, 'content-length': String(m.payload.length) },
      });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.write(m.payload.subarray(0, 60_000), () => setTimeout(() => req.destroy(), 100));
    });
    // The server learns of the abort when the socket closes, later on a loaded machine: waited for, up to 10 s.
    await expect.poll(() => readdir(ctx.deps.files.spoolDir), { timeout: 10_000, interval: 50 }).toEqual([]);
    expect(await count('dossier_files')).toBe(rows);
  });

  it('adds a file and records a digitisation while the SLA sweep holds its key-share locks on the dossier', async () => {
    const code = await receive();
    // What a running sweep holds on each dossier it flags: the key-share lock of its flag event's foreign key.
    const sweep = await ctx.deps.pool.connect();
    try {
      await sweep.query('begin');
      await sweep.query(`select 1 from dossiers where code = $1 for key share`, [code]);
      const within = <T>(p: Promise<T>) => Promise.race([p, new Promise<'waited'>((r) => setTimeout(() => r('waited'), 5000))]);
      const added = await within(upload(code, jpeg(code), `document=${doc()}&copy=copy&source=digitised`));
      expect(added === 'waited' ? 'waited for the sweep' : added.statusCode).toBe(201);
      const recorded = await within(ctx.app.inject({ method: 'POST', url: `/api/v1/dossiers/${code}/digitisation`, payload: { document: procedure.documents[1]!.name, exemption: 'shown_only' }, headers: desk }));
      expect(recorded === 'waited' ? 'waited for the sweep' : recorded.statusCode).toBe(201);
    } finally {
      await sweep.query('rollback');
      sweep.release();
    }
  });

  it('the orphan sweep removes an object no row refers to, once older than the grace period', async () => {
    const code = await receive();
    const kept = await upload(code, minimalPdf(1, `${storage}-kept`), 'extra=true&copy=copy&source=digitised');
    expect(kept.statusCode).toBe(201);
    // A crash between the storage write and the row's commit: the object is there, no row.
    const orphan = minimalPdf(1, `${storage}-orphan`);
    const { spoolUpload } = await import('../../src/modules/documents/index.js');
    const { Readable } = await import('node:stream');
    const { DomainError } = await import('../../src/lib/errors.js');
    const s = await spoolUpload(Readable.from([orphan]), { dir: ctx.deps.files.spoolDir, maxBytes: 1e6, tooLarge: () => new DomainError('FILE_TOO_LARGE', 'x') });
    await ctx.deps.files.storage.commit(s.path, s.sha256, s.size);
    const sweep = (at: Date) => sweepOrphanFiles({ ...contextOf(ctx.deps, system), now: () => at });
    // Young: kept (it may be an upload whose row is about to commit).
    expect((await sweep(new Date())).removed).toBe(0);
    expect(await ctx.deps.files.storage.exists(sha(orphan))).toBe(true);
    const later = await sweep(new Date(Date.now() + 2 * 3600_000));
    expect(later.removed).toBeGreaterThanOrEqual(1);
    expect(await ctx.deps.files.storage.exists(sha(orphan))).toBe(false);
    expect(await ctx.deps.files.storage.exists(kept.json().sha256)).toBe(true);
  });
});
