import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamptz, integer } from './pg.js';

/**
 * Transactional outbox: a state change writes its row here in the same transaction; the relay (worker role)
 * moves rows to BullMQ after commit with job id `outbox-<id>`, so Redis being down loses nothing and a row
 * relayed twice becomes one job. `done_at` is set by the job that carried the row out, when its work is done: a
 * row published and not done whose job Redis lost (restarted without its data) is relayed again by the worker's
 * recovery pass (src/jobs/recovery.ts).
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    topic: text('topic').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    publishedAt: timestamptz('published_at'),
    attempts: integer('attempts').notNull().default(0),
    doneAt: timestamptz('done_at'),
  },
  (t) => [
    index('outbox_unpublished_idx').on(t.id).where(sql`${t.publishedAt} is null`),
    index('outbox_undone_idx').on(t.id).where(sql`${t.doneAt} is null`),
  ],
);
