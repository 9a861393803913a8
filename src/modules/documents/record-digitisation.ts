import { and, eq } from 'drizzle-orm';
import type { Context } from '../../context.js';
import { auditLog, documentDigitisations, dossierEvents, dossierFiles, type digitisationExemptions } from '../../db/schema/index.js';
import { actorName, rolesOf } from '../../domain/actor.js';
import { enqueueInTx } from '../../jobs/enqueue.js';
import { DomainError } from '../../lib/errors.js';
import { foldVietnamese } from '../../lib/text.js';
import { visibleDossier } from '../dossiers/index.js';
import { lockDossierForFiles } from './lock-dossier.js';

export type DigitisationInput =
  | { dossierCode: string; document: string; fileId: number }
  | { dossierCode: string; document: string; exemption: (typeof digitisationExemptions)[number] };

/**
 * The desk records that a paper document was digitised (Nghị định 118/2025 Art. 17(1)(c), done as Thông tư 01/2023
 * Art. 8 says), naming the file that is its electronic copy (a digitised file of this dossier), or the exemption
 * of Thông tư 03/2025 Art. 5(2) that applies. A desk officer of the receiving unit; once per document.
 * A dossier event too (`digitisation_recorded`): the record that covers the last required document of the list
 * `completes` the dossier's digitisation, which indicator 4.2 counts (src/modules/quality).
 */
export async function recordDigitisation(ctx: Context<'db' | 'now' | 'config' | 'reference' | 'provinceLevel'>, input: DigitisationInput) {
  const d = await visibleDossier(ctx, ctx.actor, input.dossierCode);
  if (!rolesOf(ctx.actor).some((r) => r.role === 'desk_officer' && r.scopeKind === 'unit' && r.scopeCode === d.unitCode)) {
    throw new DomainError('FORBIDDEN', `Digitisation of ${d.code} is recorded by the desk officers of unit ${d.unitCode}`);
  }
  const { procedure } = await ctx.reference.procedureVersion(d.procedureId);
  const item = procedure.documents.find((doc) => foldVietnamese(doc.name) === foldVietnamese(input.document));
  if (!item) throw new DomainError('VALIDATION_FAILED', `body.document: not a document of procedure ${d.procedureCode}`);
  let fileId: number | null = null;
  if ('fileId' in input) {
    const [f] = await ctx.db.select().from(dossierFiles).where(and(eq(dossierFiles.id, input.fileId), eq(dossierFiles.dossierId, d.id)));
    if (!f || f.kind !== 'document') throw new DomainError('VALIDATION_FAILED', `body.fileId: no document file ${input.fileId} on dossier ${d.code}`);
    if (f.source !== 'digitised') throw new DomainError('VALIDATION_FAILED', `body.fileId: file ${f.id} was filed electronically, not digitised from paper`);
    fileId = f.id;
  }
  const now = ctx.now();
  const required = procedure.documents.filter((doc) => doc.required).map((doc) => doc.name);
  return ctx.db.transaction(async (tx) => {
    // The dossier's row, locked: of two records at once, exactly one sees the list covered by both.
    await lockDossierForFiles(tx, d.id);
    const before = await tx.select({ name: documentDigitisations.documentName }).from(documentDigitisations).where(eq(documentDigitisations.dossierId, d.id));
    const [row] = await tx
      .insert(documentDigitisations)
      .values({ dossierId: d.id, documentName: item.name, fileId, exemption: 'exemption' in input ? input.exemption : null, recordedBy: actorName(ctx.actor), recordedAt: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new DomainError('DIGITISATION_ALREADY_RECORDED', `body.document: the digitisation of "${item.name}" on ${d.code} is already recorded`);
    const covered = new Set([...before.map((b) => b.name), row.documentName]);
    const completes = required.length === 0 ? before.length === 0 : required.includes(row.documentName) && required.every((n) => covered.has(n));
    const detail = { document: item.name, fileId, exemption: row.exemption };
    await tx.insert(dossierEvents).values({ dossierId: d.id, type: 'digitisation_recorded', actor: actorName(ctx.actor), at: now, data: { ...detail, completes } });
    await tx.insert(auditLog).values({ actor: actorName(ctx.actor), action: 'digitisation_recorded', dossierCode: d.code, requestId: ctx.requestId ?? null, detail });
    await enqueueInTx(tx, 'dossier.changed', { dossierId: d.id, code: d.code, event: 'digitisation_recorded' });
    return { dossierCode: d.code, document: row.documentName, fileId: row.fileId, exemption: row.exemption, recordedBy: row.recordedBy, recordedAt: row.recordedAt };
  });
}
