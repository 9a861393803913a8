import { and, asc, eq } from 'drizzle-orm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from '../../context.js';
import { auditLog, dossierFiles, dossiers } from '../../db/schema/index.js';
import { actorName } from '../../domain/actor.js';
import { DomainError } from '../../lib/errors.js';
import type { DossierRow } from '../dossiers/index.js';
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

/** The file a link names, if its signature holds and it has not expired (410, so the applicant asks the lookup again). */
export async function openResultLink(ctx: Context<'db' | 'now' | 'config' | 'files'>, token: string): Promise<FileDownload> {
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
    .select({ f: dossierFiles, code: dossiers.code })
    .from(dossierFiles)
    .innerJoin(dossiers, eq(dossiers.id, dossierFiles.dossierId))
    .where(and(eq(dossierFiles.id, claims.f), eq(dossierFiles.kind, 'result')));
  if (!row) throw invalid;
  await ctx.db.insert(auditLog).values({ actor: actorName(ctx.actor), action: 'result_file_read', dossierCode: row.code, requestId: ctx.requestId ?? null, detail: { fileId: claims.f } });
  return openStored(ctx, row.f, row.code);
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
