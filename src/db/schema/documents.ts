import { sql } from 'drizzle-orm';
import { dossiers } from './dossiers.js';
import { bigint, bigserial, check, index, integer, pgTable, text, timestamptz, uniqueIndex } from './pg.js';

export const fileKinds = ['document', 'result'] as const;
export const copyKinds = ['original', 'certified_copy', 'copy'] as const;
/** Digitised from paper at the desk (Nghị định 118/2025 Art. 17(1)(c)), or filed electronically as it is. */
export const fileSources = ['digitised', 'electronic'] as const;
/**
 * Papers exempt from digitisation (Thông tư 03/2025/TT-VPCP Art. 5(2)): a dossier filed electronically, papers
 * only shown at intake, verification results exchanged between agencies, classified papers.
 */
export const digitisationExemptions = ['filed_electronically', 'shown_only', 'inter_agency_verification', 'classified'] as const;

/**
 * A file of a dossier: a document of the application, or the result the deciding agency signed. The bytes live in
 * the file storage under `sha256` (content-addressed: one object for every row with the same content); the row is
 * written only after the object is durable, so no row points to nothing. A re-used file (Nghị định 45/2020 Art. 16:
 * what the applicant already gave) is a new row over the same object, `reused_from` naming the row it came from.
 */
export const dossierFiles = pgTable(
  'dossier_files',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .notNull()
      .references(() => dossiers.id),
    kind: text('kind', { enum: fileKinds }).notNull(),
    /** The item of the procedure's required-documents list it answers; null for an extra document or a result. */
    documentName: text('document_name'),
    copyKind: text('copy_kind', { enum: copyKinds }).notNull(),
    source: text('source', { enum: fileSources }).notNull(),
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    mediaType: text('media_type').notNull(),
    pageCount: integer('page_count'),
    fileName: text('file_name'),
    reusedFrom: bigint('reused_from', { mode: 'number' }),
    addedBy: text('added_by').notNull(),
    addedAt: timestamptz('added_at').notNull(),
  },
  (t) => [
    index('dossier_files_dossier_idx').on(t.dossierId, t.id),
    // The same content twice on one dossier is a mistake (a second upload of the same scan).
    uniqueIndex('dossier_files_content_uq').on(t.dossierId, t.sha256),
    // The orphan sweep asks, per stored object, whether any row refers to it.
    index('dossier_files_sha256_idx').on(t.sha256),
    check('dossier_files_size_ck', sql`${t.size} > 0`),
  ],
);

/**
 * The desk's record of digitising each paper document of a dossier (Nghị định 118/2025 Art. 17(1)(c), Thông tư
 * 03/2025 Art. 5): the file that is its electronic copy, or the exemption that applies. One per document.
 */
export const documentDigitisations = pgTable(
  'document_digitisations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .notNull()
      .references(() => dossiers.id),
    documentName: text('document_name').notNull(),
    fileId: bigint('file_id', { mode: 'number' }).references(() => dossierFiles.id),
    exemption: text('exemption', { enum: digitisationExemptions }),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamptz('recorded_at').notNull(),
  },
  (t) => [
    uniqueIndex('document_digitisations_uq').on(t.dossierId, t.documentName),
    check('document_digitisations_one_ck', sql`(${t.fileId} is null) <> (${t.exemption} is null)`),
  ],
);
