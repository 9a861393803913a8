import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { openStatuses } from '../domain/dossier/state-machine.js';

/**
 * "The dossier is open" in SQL, from the state machine's own list. Literal values rather than parameters, so the
 * planner matches it against the partial indexes built with the same predicate (dossiers_open_due_idx).
 */
const openList = sql.raw(openStatuses.map((s) => `'${s}'`).join(','));

export const isOpenSql = (status: SQLWrapper): SQL => sql`${status} in (${openList})`;
