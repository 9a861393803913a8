import { sql } from 'drizzle-orm';
import { dossiers } from './dossiers.js';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, serial, text, timestamptz } from './pg.js';

/**
 * The city's list of procedures received "không phụ thuộc địa giới hành chính" (Nghị định 118/2025/NĐ-CP: the city's
 * centre and every commune centre take them in for any unit of the city), as dated versions: a version is in force
 * from `valid_from` until the next version's `valid_from`. A version is never rewritten; a change is a new version,
 * so an intake is always judged by the list in force on its day. The list is the city's decision (docs/domain.md §8).
 */
export const locationIndependentLists = pgTable(
  'location_independent_lists',
  {
    id: serial('id').primaryKey(),
    validFrom: date('valid_from').notNull().unique(),
    /** The decision that sets the list (e.g. "Quyết định 123/QĐ-UBND"), or the assumption the default rests on. */
    basis: text('basis').notNull(),
    /** Every procedure of city (province) level is on the list, besides those named. */
    allCityLevel: boolean('all_city_level').notNull(),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
);

/** The procedures a list version names (by catalogue code). */
export const locationIndependentListProcedures = pgTable(
  'location_independent_list_procedures',
  {
    listId: integer('list_id')
      .notNull()
      .references(() => locationIndependentLists.id),
    procedureCode: text('procedure_code').notNull(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.procedureCode] })],
);

export const paperTransferKinds = ['dossier', 'result'] as const;
export const paperTransferMethods = ['post', 'hand'] as const;

/**
 * The paper dossier, or the paper result, carried between the desk that received it, the agency that decides and the
 * desk that returns the result (Nghị định 118/2025/NĐ-CP: a location-independent dossier's papers go by the public
 * postal service), with its own times and its own record: sent (by whom, how, when) and received (by whom, when).
 * The electronic copy moves with the dossier's handoffs; this is the paper's trail, kept apart from it.
 */
export const paperTransfers = pgTable(
  'paper_transfers',
  {
    id: serial('id').primaryKey(),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .notNull()
      .references(() => dossiers.id),
    kind: text('kind', { enum: paperTransferKinds }).notNull(),
    fromCode: text('from_code').notNull(),
    toCode: text('to_code').notNull(),
    method: text('method', { enum: paperTransferMethods }).notNull(),
    /** The postal item's number (by post), or who carried it (by hand). */
    reference: text('reference'),
    sentAt: timestamptz('sent_at').notNull(),
    sentBy: text('sent_by').notNull(),
    receivedAt: timestamptz('received_at'),
    receivedBy: text('received_by'),
    note: text('note'),
  },
  (t) => [
    index('paper_transfers_dossier_idx').on(t.dossierId, t.id),
    check('paper_transfers_received_ck', sql`(${t.receivedAt} is null) = (${t.receivedBy} is null)`),
  ],
);
