import { and, asc, eq } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import type { Context } from '../../context.js';
import { auditLog, documentDigitisations, dossierFiles } from '../../db/schema/index.js';
import { actorName } from '../../domain/actor.js';
import { DomainError } from '../../lib/errors.js';
import { foldVietnamese } from '../../lib/text.js';
import { visibleDossier } from '../dossiers/index.js';
import { ObjectMissing } from './storage/file-storage.js';
import { extensionOf, type MediaType } from './media-type.js';
import { fileView } from './views.js';

type ReadContext = Context<'db' | 'config' | 'reference' | 'provinceLevel'>;

/**
 * A dossier's files and its document checklist: each item of the procedure's list with the files that answer it
 * and its digitisation record (file or exemption, Thông tư 03/2025 Art. 5). `missing` lists the required items with
 * no file and no exemption: what a supplement request (Mẫu 02) would ask for. Listing is a read of the dossier,
 * audited as such (DOMAIN.md §11).
 */
export async function listFiles(ctx: ReadContext, input: { dossierCode: string }) {
  const d = await visibleDossier(ctx, ctx.actor, input.dossierCode);
  const [rows, digitised, entry] = await Promise.all([
    ctx.db.select().from(dossierFiles).where(eq(dossierFiles.dossierId, d.id)).orderBy(asc(dossierFiles.id)),
    ctx.db.select().from(documentDigitisations).where(eq(documentDigitisations.dossierId, d.id)).orderBy(asc(documentDigitisations.id)),
    ctx.reference.procedureVersion(d.procedureId),
  ]);
  await ctx.db.insert(auditLog).values({ actor: actorName(ctx.actor), action: 'files_read', dossierCode: d.code, requestId: ctx.requestId ?? null });
  const checklist = entry.procedure.documents.map((doc) => {
    const fold = foldVietnamese(doc.name);
    const rec = digitised.find((r) => foldVietnamese(r.documentName) === fold);
    const fileIds = rows.filter((f) => f.documentName !== null && foldVietnamese(f.documentName) === fold).map((f) => f.id);
    return {
      document: doc.name,
      required: doc.required,
      fileIds,
      digitisation: rec ? { fileId: rec.fileId, exemption: rec.exemption, recordedBy: rec.recordedBy, recordedAt: rec.recordedAt } : null,
    };
  });
  return {
    dossierCode: d.code,
    files: rows.map(fileView),
    checklist,
    missing: checklist.filter((c) => c.required && c.fileIds.length === 0 && !c.digitisation?.exemption).map((c) => c.document),
  };
}

export interface FileDownload {
  stream: Readable;
  size: number;
  mediaType: MediaType;
  fileName: string;
}

/**
 * One file's bytes for staff who see its dossier (another unit's dossier, or a file of another dossier, is a 404);
 * each read is written to the audit log, like a read of the dossier (DOMAIN.md §11).
 */
export async function readFile(ctx: ReadContext & Context<'files'>, input: { dossierCode: string; fileId: number }): Promise<FileDownload> {
  const d = await visibleDossier(ctx, ctx.actor, input.dossierCode);
  const [f] = await ctx.db.select().from(dossierFiles).where(and(eq(dossierFiles.id, input.fileId), eq(dossierFiles.dossierId, d.id)));
  if (!f) throw new DomainError('FILE_NOT_FOUND', `File ${input.fileId} of dossier ${d.code} not found`);
  await ctx.db.insert(auditLog).values({
    actor: actorName(ctx.actor),
    action: 'file_read',
    dossierCode: d.code,
    requestId: ctx.requestId ?? null,
    detail: { fileId: f.id, sha256: f.sha256 },
  });
  return openStored(ctx, f, d.code);
}

/** The stored bytes of a file row (the caller has checked who may read them). */
export async function openStored(ctx: Context<'files'>, f: typeof dossierFiles.$inferSelect, dossierCode: string): Promise<FileDownload> {
  try {
    const stream = await ctx.files.storage.open(f.sha256);
    const mediaType = f.mediaType as MediaType;
    return { stream, size: f.size, mediaType, fileName: `${dossierCode}-${f.id}.${extensionOf(mediaType)}` };
  } catch (err) {
    // A row is written only after its object is durable: a missing object is the storage's fault, not the client's.
    if (err instanceof ObjectMissing) throw new Error(`file ${f.id} of ${dossierCode}: ${err.message}`);
    throw err;
  }
}
