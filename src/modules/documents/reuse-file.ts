import { and, desc, eq, isNotNull, ne, notInArray, or, sql } from 'drizzle-orm';
import type { Context } from '../../context.js';
import { auditLog, dossierEvents, dossierFiles, dossiers, type copyKinds } from '../../db/schema/index.js';
import { actorName } from '../../domain/actor.js';
import { isOpen } from '../../domain/dossier/state-machine.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { DomainError } from '../../lib/errors.js';
import { visibleDossier, type DossierRow } from '../dossiers/index.js';
import { documentNameFor, mustAct, type FilesContext } from './add-file.js';
import { fileView } from './views.js';
import { lockDossierForFiles } from './lock-dossier.js';

/**
 * What the state already holds from this applicant (Nghị định 45/2020 Art. 16, the applicant's data store; the
 * applicant need not give it again): the digitised documents and the results of their other dossiers, matched by
 * the citizen ID's keyed hash (never the number). Shown to staff who see the new dossier, whoever holds the old
 * one: the offer gives the file's description and its dossier's code, no other data of that dossier.
 */
export async function reusableFiles(ctx: Context<'db' | 'config' | 'provinceLevel'>, input: { dossierCode: string }) {
  const d = await visibleDossier(ctx, ctx.actor, input.dossierCode);
  const rows = await offersFor(ctx, d);
  await ctx.db.insert(auditLog).values({ actor: actorName(ctx.actor), action: 'reuse_offers_read', dossierCode: d.code, requestId: ctx.requestId ?? null, detail: { offered: rows.length } });
  return {
    dossierCode: d.code,
    offers: rows.map(({ f, fromDossier }) => ({
      fileId: f.id,
      fromDossier,
      kind: f.kind,
      document: f.documentName,
      copyKind: f.copyKind,
      mediaType: f.mediaType,
      size: f.size,
      pageCount: f.pageCount,
      addedAt: f.addedAt,
    })),
  };
}

async function offersFor(ctx: Context<'db'>, d: DossierRow, fileId?: number) {
  if (!d.citizenIdHash) return [];
  const own = ctx.db.select({ sha256: dossierFiles.sha256 }).from(dossierFiles).where(eq(dossierFiles.dossierId, d.id));
  return ctx.db
    .select({ f: dossierFiles, fromDossier: dossiers.code })
    .from(dossierFiles)
    .innerJoin(dossiers, eq(dossiers.id, dossierFiles.dossierId))
    .where(
      and(
        eq(dossiers.citizenIdHash, d.citizenIdHash),
        ne(dossiers.id, d.id),
        or(eq(dossierFiles.kind, 'result'), eq(dossierFiles.source, 'digitised')),
        notInArray(dossierFiles.sha256, own),
        // A file re-used before is offered once, from where it was first given.
        sql`${dossierFiles.reusedFrom} is null`,
        fileId === undefined ? undefined : eq(dossierFiles.id, fileId),
      ),
    )
    .orderBy(desc(dossierFiles.addedAt), desc(dossierFiles.id))
    .limit(200);
}

/**
 * Re-uses an offered file on this dossier: a new row over the same stored object (no upload), recording the row
 * it came from; audited on both dossiers. A dossier event too (`file_reused`): the dossier's first re-used file
 * makes it a dossier re-using digitised data (indicator 4.3, counted by src/modules/quality).
 */
export async function reuseFile(
  ctx: FilesContext,
  input: { dossierCode: string; fileId: number; document: string | null; extra: boolean; copyKind: (typeof copyKinds)[number] },
) {
  const d = await visibleDossier(ctx, ctx.actor, input.dossierCode);
  mustAct(ctx, d);
  if (!isOpen(d.status)) throw new DomainError('CONFLICT', `Dossier ${d.code} is ${d.status}: documents are added while it is open`);
  const [offer] = await offersFor(ctx, d, input.fileId);
  if (!offer) throw new DomainError('FILE_NOT_FOUND', `body.fileId: file ${input.fileId} is not offered for re-use on ${d.code}`);
  const documentName = await documentNameFor(ctx, d, input.document, input.extra);
  const { f, fromDossier } = offer;
  const now = ctx.now();
  const row = await ctx.db.transaction(async (tx) => {
    // The dossier's row, locked: of two re-uses at once, exactly one is the first.
    await lockDossierForFiles(tx, d.id);
    const [earlier] = await tx
      .select({ id: dossierFiles.id })
      .from(dossierFiles)
      .where(and(eq(dossierFiles.dossierId, d.id), isNotNull(dossierFiles.reusedFrom)))
      .limit(1);
    const [inserted] = await tx
      .insert(dossierFiles)
      .values({
        dossierId: d.id,
        kind: 'document',
        documentName,
        copyKind: input.copyKind,
        // A result re-used as a document is the state's own electronic record, not a new scan.
        source: f.kind === 'result' ? 'electronic' : f.source,
        sha256: f.sha256,
        size: f.size,
        mediaType: f.mediaType,
        pageCount: f.pageCount,
        fileName: f.fileName,
        reusedFrom: f.id,
        addedBy: actorName(ctx.actor),
        addedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted) throw new DomainError('FILE_ALREADY_ON_DOSSIER', `body.fileId: the same file is already on dossier ${d.code}`);
    const detail = { fileId: inserted.id, reusedFrom: f.id, fromDossier, toDossier: d.code };
    await tx.insert(dossierEvents).values({ dossierId: d.id, type: 'file_reused', actor: actorName(ctx.actor), at: now, data: { ...detail, first: !earlier } });
    await enqueueInTx(tx, 'dossier.changed', { dossierId: d.id, code: d.code, event: 'file_reused' });
    await tx.insert(auditLog).values([
      { actor: actorName(ctx.actor), action: 'file_reused', dossierCode: d.code, requestId: ctx.requestId ?? null, detail },
      { actor: actorName(ctx.actor), action: 'file_reused_elsewhere', dossierCode: fromDossier, requestId: ctx.requestId ?? null, detail },
    ]);
    return inserted;
  });
  return fileView(row);
}
