import { sql, type SQL } from 'drizzle-orm';
import { openStatuses } from '../domain/dossier/state-machine.js';

/**
 * "The dossier is open" in SQL, from the state machine's own list. Literal values rather than parameters, so the
 * planner matches it against the partial indexes built with the same predicate (dossiers_open_due_idx).
 */
const openList = sql.raw(openStatuses.map((s) => `'${s}'`).join(','));

export const isOpenSql = (status: SQL | { getSQL(): SQL } | unknown): SQL => sql`${status} in (${openList})`;
