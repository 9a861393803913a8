import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';

/** Increments the calendar's revision inside a change's transaction (see calendarRevision in the schema). */
export async function bumpCalendarRevision(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`insert into calendar_revision (id, revision) values (1, 1)
    on conflict (id) do update set revision = calendar_revision.revision + 1`);
}
