import { and, asc, eq } from 'drizzle-orm';
import type { Deps } from '../../../deps.js';
import { paperTransfers } from '../../../db/schema/index.js';
import { DomainError } from '../../../lib/errors.js';

type Row = typeof paperTransfers.$inferSelect;
const view = ({ dossierId: _d, ...t }: Row) => ({ ...t, status: t.receivedAt ? ('received' as const) : ('sent' as const) });

/** A dossier's paper transfers (dossier and result), oldest first. */
export async function paperTransfersOf(deps: Pick<Deps, 'db'>, dossierId: number) {
  const rows = await deps.db.select().from(paperTransfers).where(eq(paperTransfers.dossierId, dossierId)).orderBy(asc(paperTransfers.id));
  return rows.map(view);
}

export async function paperTransferView(deps: Pick<Deps, 'db'>, dossierId: number, id: number) {
  const [row] = await deps.db.select().from(paperTransfers).where(and(eq(paperTransfers.dossierId, dossierId), eq(paperTransfers.id, id)));
  if (!row) throw new DomainError('NOT_FOUND', `No paper transfer ${id}`);
  return view(row);
}
