import { and, eq, ne, sql } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import type { Context } from '../../context.js';
import { auditLog, dossierEvents, dossierFiles, type copyKinds, type fileSources } from '../../db/schema/index.js';
import { actorName, rolesOf } from '../../domain/actor.js';
import { isOpen } from '../../domain/dossier/state-machine.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { DomainError } from '../../lib/errors.js';
import { foldVietnamese } from '../../lib/text.js';
import { visibleDossier, type DossierRow } from '../dossiers/index.js';
import { pdfPageCount } from './media-type.js';
import { spoolUpload } from './spool.js';
import { discard } from './storage/fs-storage.js';
import { fileView } from './views.js';
import { lockDossierForFiles } from './lock-dossier.js';

export type FilesContext = Context<'db' | 'now' | 'config' | 'files' | 'reference' | 'provinceLevel'>;

/** The upload's bytes, opened only once everything else about the request has been checked. */
export type OpenUpload = () => Promise<{ stream: Readable; fileName: string | null }>;

export interface AddDocumentInput {
  dossierCode: string;
  /** The item of the procedure's required-documents list, or null with `extra`. */
  document: string | null;
  extra: boolean;
  copyKind: (typeof copyKinds)[number];
  source: (typeof fileSources)[number];
}

/**
 * A document of the application, uploaded by staff who may act on the dossier while it is open (the desk at
 * intake, digitising the paper dossier: Nghị định 118/2025 Art. 17(1)(c); or the agency handling it). It answers an
 * item of the procedure's required-documents list, or is marked extra.
 */
export async function addDocumentFile(ctx: FilesContext, input: AddDocumentInput, upload: OpenUpload) {
  const d = await visibleDossier(ctx, ctx.actor, input.dossierCode);
  mustAct(ctx, d);
  if (!isOpen(d.status)) throw new DomainError('CONFLICT', `Dossier ${d.code} is ${d.status}: documents are added while it is open`);
  const documentName = await documentNameFor(ctx, d, input.document, input.extra);
  return storeFile(ctx, d, { kind: 'document', documentName, copyKind: input.copyKind, source: input.source }, upload);
}

/**
 * The result file (the signed decision, certificate or answer), attached by the deciding agency at or before
 * completion (Nghị định 45/2020 Art. 14; Nghị định 118/2025 Art. 22): staff holding a role over the dossier's
 * deciding agency, while it is open or processed, not once returned.
 */
export async function addResultFile(ctx: FilesContext, input: { dossierCode: string }, upload: OpenUpload) {
  const d = await visibleDossier(ctx, ctx.actor, input.dossierCode);
  const deciding = rolesOf(ctx.actor).some((r) => r.role !== 'auditor' && r.scopeKind === 'agency' && r.scopeCode === d.authorityAgencyCode);
  if (!deciding) throw new DomainError('FORBIDDEN', `The result of ${d.code} is attached by the deciding agency ${d.authorityAgencyCode}`);
  if (!isOpen(d.status) && d.status !== 'processed') {
    throw new DomainError('CONFLICT', `Dossier ${d.code} is ${d.status}: a result is attached at or before completion`);
  }
  return storeFile(ctx, d, { kind: 'result', documentName: null, copyKind: 'original', source: 'electronic' }, upload);
}

/** The catalogue's name of the item a file answers (matched without case or diacritics), or null for an extra file. */
export async function documentNameFor(ctx: Pick<FilesContext, 'reference'>, d: DossierRow, document: string | null, extra: boolean): Promise<string | null> {
  if (document === null) {
    if (!extra) throw new DomainError('VALIDATION_FAILED', 'document: name the document of the list this file is, or set extra=true');
    return null;
  }
  if (extra) throw new DomainError('VALIDATION_FAILED', 'extra: a file answers a document of the list or is extra, not both');
  const { procedure } = await ctx.reference.procedureVersion(d.procedureId);
  const item = procedure.documents.find((doc) => foldVietnamese(doc.name) === foldVietnamese(document));
  if (!item) {
    throw new DomainError('VALIDATION_FAILED', `document: not a document of procedure ${d.procedureCode}; one of: ${procedure.documents.map((doc) => doc.name).join('; ')}`);
  }
  return item.name;
}

/** Auditors read only; anyone else who sees the dossier may add to it. */
export function mustAct(ctx: FilesContext, d: DossierRow) {
  const acting = rolesOf(ctx.actor).filter((r) => r.role !== 'auditor');
  if (ctx.actor.kind === 'staff' && acting.length === 0) throw new DomainError('FORBIDDEN', `Auditors read dossier ${d.code}, they do not add to it`);
}

interface Placement {
  kind: 'document' | 'result';
  documentName: string | null;
  copyKind: AddDocumentInput['copyKind'];
  source: AddDocumentInput['source'];
}

/**
 * Spool → checks → storage (durable) → row, in that order: a row is written only for an object already stored,
 * so no row ever points to nothing; a failure after the storage write leaves at most an object no row refers to,
 * which the orphan sweep removes (FILE_ORPHAN_GRACE_SECONDS).
 */
async function storeFile(ctx: FilesContext, d: DossierRow, place: Placement, upload: OpenUpload) {
  const { config, files } = ctx;
  const used = await usedBytes(ctx, d.id);
  const room = config.FILE_DOSSIER_MAX_BYTES - used;
  const perFile = room < config.FILE_MAX_BYTES;
  const limit = Math.max(0, Math.min(config.FILE_MAX_BYTES, room));
  const tooLarge = () =>
    new DomainError(
      'FILE_TOO_LARGE',
      perFile
        ? `file: dossier ${d.code} holds ${used} bytes of files; this file would pass its limit of ${config.FILE_DOSSIER_MAX_BYTES} bytes (FILE_DOSSIER_MAX_BYTES)`
        : `file: larger than the limit of ${config.FILE_MAX_BYTES} bytes per file (FILE_MAX_BYTES)`,
    );
  const { stream, fileName } = await upload();
  const spooled = await spoolUpload(stream, { dir: files.spoolDir, maxBytes: limit, tooLarge });
  try {
    const [same] = await ctx.db.select({ id: dossierFiles.id }).from(dossierFiles).where(and(eq(dossierFiles.dossierId, d.id), eq(dossierFiles.sha256, spooled.sha256)));
    if (same) throw duplicate(d.code, same.id);
    const pageCount = spooled.mediaType === 'application/pdf' ? await pdfPageCount(spooled.path) : null;
    const now = ctx.now();
    const row = await ctx.db.transaction(async (tx) => {
      // The dossier's row, locked: two uploads to one dossier count its total one after the other.
      await lockDossierForFiles(tx, d.id);
      const total = await usedBytes({ db: tx }, d.id);
      if (total + spooled.size > config.FILE_DOSSIER_MAX_BYTES) throw tooLarge();
      // The object is written under this content's lock, held until the row commits: the orphan sweep takes it
      // exclusively before removing an object, so it never removes one a row is about to refer to.
      await tx.execute(sql`select pg_advisory_xact_lock_shared(${contentLockKey(spooled.sha256)})`);
      await files.storage.commit(spooled.path, spooled.sha256, spooled.size);
      const [inserted] = await tx
        .insert(dossierFiles)
        .values({
          dossierId: d.id,
          kind: place.kind,
          documentName: place.documentName,
          copyKind: place.copyKind,
          source: place.source,
          sha256: spooled.sha256,
          size: spooled.size,
          mediaType: spooled.mediaType,
          pageCount,
          fileName: fileName ? fileName.slice(0, 200) : null,
          addedBy: actorName(ctx.actor),
          addedAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (!inserted) throw duplicate(d.code, null);
      if (place.kind === 'result') {
        // A dossier event: the dossier's first result file is its electronic result (indicator 4.1, counted by
        // src/modules/quality). The dossier's row is locked above, so exactly one file is the first.
        const [earlier] = await tx
          .select({ id: dossierFiles.id })
          .from(dossierFiles)
          .where(and(eq(dossierFiles.dossierId, d.id), eq(dossierFiles.kind, 'result'), ne(dossierFiles.id, inserted.id)))
          .limit(1);
        await tx.insert(dossierEvents).values({ dossierId: d.id, type: 'result_file_attached', actor: actorName(ctx.actor), at: now, data: { fileId: inserted.id, first: !earlier } });
        await enqueueInTx(tx, 'dossier.changed', { dossierId: d.id, code: d.code, event: 'result_file_attached' });
      }
      await tx.insert(auditLog).values({
        actor: actorName(ctx.actor),
        action: place.kind === 'result' ? 'result_file_added' : 'file_added',
        dossierCode: d.code,
        requestId: ctx.requestId ?? null,
        detail: { fileId: inserted.id, sha256: spooled.sha256, size: spooled.size },
      });
      return inserted;
    });
    return fileView(row);
  } finally {
    await discard(spooled.path);
  }
}

const duplicate = (code: string, id: number | null) =>
  new DomainError('FILE_ALREADY_ON_DOSSIER', `file: the same file is already on dossier ${code}${id ? ` (file ${id})` : ''}`);

/** The advisory-lock key of a stored object's content (shared by writers, exclusive for the orphan sweep). */
export const contentLockKey = (sha256: string) => sql`hashtextextended(${`dossier-file:${sha256}`}, 0)`;

export async function usedBytes(ctx: { db: Pick<FilesContext['db'], 'select'> }, dossierId: number): Promise<number> {
  const [r] = await ctx.db
    .select({ total: sql<string>`coalesce(sum(${dossierFiles.size}), 0)` })
    .from(dossierFiles)
    .where(eq(dossierFiles.dossierId, dossierId));
  return Number(r?.total ?? 0);
}
