import { and, asc, eq } from 'drizzle-orm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from '../../context.js';
import { auditLog, dossierFiles, dossiers } from '../../db/schema/index.js';
import { actorName } from '../../domain/actor.js';
import { DomainError } from '../../lib/errors.js';
import { returnResult, type DossierRow } from '../dossiers/index.js';
import { openStored, type FileDownload } from './read-files.js';

/**
 * Result files the applicant may download: a result delivered electronically (Nghị định 45/2020 Art. 14; Nghị
 * định 118/2025 Art. 22) once the dossier is processed or returned. The public lookup gives one short-lived link
 * per file (FILE_LINK_TTL_SECONDS), signed with the server's secret: the link alone, without the phone check, works
 * only until it expires.
 */
export async function resultLinksOf(ctx: Context<'db' | 'now' | 'config'>, d: DossierRow, basePath: string) {
  if (d.resultDelivery.method !== 'electronic' || (d.status !== 'processed' && d.status !== 'returned')) return [];
  const rows = await ctx.db
    .select()
    .from(dossierFiles)
    .where(and(eq(dossierFiles.dossierId, d.id), eq(dossierFiles.kind, 'result')))
    .orderBy(asc(dossierFiles.id));
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.FILE_LINK_TTL_SECONDS * 1000);
  return rows.map((f) => ({
    fileId: f.id,
    mediaType: f.mediaType,
    size: f.size,
    pageCount: f.pageCount,
    url: `${basePath}/${signLink(ctx.config.JWT_SECRET, { f: f.id, e: Math.floor(expiresAt.getTime() / 1000) })}`,
    expiresAt,
  }));
}

interface LinkClaims {
  /** File id. */
  f: number;
  /** Expiry, Unix seconds. */
  e: number;
}

// The label keeps a link's MAC from ever being valid as anything else signed with the same secret (the JWTs);
// 128 bits of it are plenty for a link that lives minutes, and keep the link short enough for a path segment.
const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(`motcua-result-link\n${payload}`).digest().subarray(0, 16).toString('base64url');

export function signLink(secret: string, claims: LinkClaims): string {
  const bytes = Buffer.alloc(12);
  bytes.writeBigUInt64BE(BigInt(claims.f), 0);
  bytes.writeUInt32BE(claims.e, 8);
  const payload = bytes.toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/**
 * The file a link names, if its signature holds and it has not expired (410, so the applicant asks the lookup again).
 * The applicant's download of a result delivered electronically is its return (the result is handed over when the
 * applicant receives it: motcua's reading of Nghị định 45/2020 Art. 14 and Nghị định 118/2025 Art. 22, to confirm
 * with the province): a dossier still `processed` is returned here, by the applicant, method electronic, once; the
 * file is served whether or not this download was the return.
 */
export async function openResultLink(ctx: Context<'db' | 'now' | 'config' | 'files' | 'reference' | 'calendar' | 'provinceLevel'>, token: string): Promise<FileDownload> {
  const [payload = '', given = ''] = token.split('.');
  const expected = mac(ctx.config.JWT_SECRET, payload);
  const invalid = new DomainError('FILE_NOT_FOUND', 'No file at this link');
  if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) throw invalid;
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes.length !== 12) throw invalid;
  const claims: LinkClaims = { f: Number(bytes.readBigUInt64BE(0)), e: bytes.readUInt32BE(8) };
  if (claims.e * 1000 <= ctx.now().getTime()) {
    throw new DomainError('LINK_EXPIRED', 'This link has expired: look the dossier up again for a new one');
  }
  const [row] = await ctx.db
    .select({ f: dossierFiles, code: dossiers.code, status: dossiers.status, delivery: dossiers.resultDelivery })
    .from(dossierFiles)
    .innerJoin(dossiers, eq(dossiers.id, dossierFiles.dossierId))
    .where(and(eq(dossierFiles.id, claims.f), eq(dossierFiles.kind, 'result')));
  if (!row) throw invalid;
  await ctx.db.insert(auditLog).values({ actor: actorName(ctx.actor), action: 'result_file_read', dossierCode: row.code, requestId: ctx.requestId ?? null, detail: { fileId: claims.f } });
  const file = await openStored(ctx, row.f, row.code);
  if (row.status === 'processed' && row.delivery.method === 'electronic') await returnOnDownload(ctx, row.code, file);
  return file;
}

/**
 * The return act by the applicant downloading. Another act at the same moment (a second download, the desk
 * returning it) makes this one a version conflict: once returned, that is no error; otherwise it is tried again.
 */
async function returnOnDownload(ctx: Context<'db' | 'now' | 'config' | 'reference' | 'calendar' | 'provinceLevel'>, code: string, file: FileDownload) {
  const applicant = { ...ctx, actor: { kind: 'citizen' as const, receivesResultOf: code } };
  for (let attempt = 1; ; attempt++) {
    try {
      await returnResult(applicant, { code, method: 'electronic', note: 'Downloaded by the applicant through the lookup link' });
      return;
    } catch (err) {
      const [now] = await ctx.db.select({ status: dossiers.status }).from(dossiers).where(eq(dossiers.code, code));
      if (now?.status === 'returned') return;
      if (attempt < 3 && err instanceof DomainError && err.code === 'VERSION_CONFLICT') continue;
      file.stream.destroy();
      throw err;
    }
  }
}

/**
 * A result file of a dossier the caller has already shown to be theirs to carry (the postal partner that
 * submitted it or ships its result, checked by the postal module), audited as a read.
 */
export async function openResultFile(ctx: Context<'db' | 'files'>, input: { dossierId: number; dossierCode: string; fileId: number }): Promise<FileDownload> {
  const [f] = await ctx.db
    .select()
    .from(dossierFiles)
    .where(and(eq(dossierFiles.id, input.fileId), eq(dossierFiles.dossierId, input.dossierId), eq(dossierFiles.kind, 'result')));
  if (!f) throw new DomainError('FILE_NOT_FOUND', `Result file ${input.fileId} of dossier ${input.dossierCode} not found`);
  await ctx.db.insert(auditLog).values({ actor: actorName(ctx.actor), action: 'result_file_read', dossierCode: input.dossierCode, requestId: ctx.requestId ?? null, detail: { fileId: f.id } });
  return openStored(ctx, f, input.dossierCode);
}

/** The result files of a dossier, described (for the postal partner's view). */
export async function resultFilesOf(ctx: Pick<Context<'db'>, 'db'>, dossierId: number) {
  const rows = await ctx.db.select().from(dossierFiles).where(and(eq(dossierFiles.dossierId, dossierId), eq(dossierFiles.kind, 'result'))).orderBy(asc(dossierFiles.id));
  return rows.map((f) => ({ fileId: f.id, mediaType: f.mediaType, size: f.size, pageCount: f.pageCount, addedAt: f.addedAt }));
}
