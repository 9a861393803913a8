import type pg from 'pg';
import type { Db, Tx } from '../../../db/client.js';
import type { Logger } from '../../../lib/logger.js';
import { CalendarChanged, insertReceivedDossiers, type ReceivedDossierInsert } from './insert-received-dossier.js';

export interface IntakeWrite extends ReceivedDossierInsert {
  /** Runs in the dossier's own transaction once it is written: what must commit with it (the idempotency record). */
  afterInsert?: (tx: Tx, written: { id: number; code: string }) => Promise<void>;
}

interface Pending {
  write: IntakeWrite;
  resolve: (written: { id: number; code: string }) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for intakes. Intakes that arrive while a write is in flight wait for it and then go together: one
 * statement and one durable commit for all of them (insertReceivedDossiers), so the desk-day numbers are taken in
 * the dossiers' own transaction (no gap, no number twice) without every intake at a desk waiting for the previous
 * one's disk flush. A lone intake goes at once; nothing waits for a timer.
 *
 * Why: the commit's WAL flush, the round trips and the statement's fixed cost were most of an intake's database
 * work (bench/intake). What it costs: one intake's failure rolls back its group, which is then written again one
 * by one, so only the faulty intake fails; an intake whose calendar changed meanwhile is left out of its group
 * and gets CalendarChanged (its caller recomputes).
 */
export class IntakeWriter {
  private readonly queue: Pending[] = [];
  private running = 0;

  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly limits: { maxGroup: number; maxConcurrent: number },
    private readonly hooks: { observeGroup?: (size: number) => void; logger?: Pick<Logger, 'warn'> } = {},
  ) {}

  /** Writes a received dossier; resolves with its id and code once committed. */
  write(write: IntakeWrite): Promise<{ id: number; code: string }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.running < this.limits.maxConcurrent && this.queue.length > 0) {
      const group = this.queue.splice(0, this.limits.maxGroup);
      this.running++;
      void this.commit(group).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async commit(group: Pending[]): Promise<void> {
    this.hooks.observeGroup?.(group.length);
    let written: ({ id: number; code: string } | null)[];
    try {
      const writes = group.map((p) => p.write);
      // The statement is atomic on its own: a transaction around it only when something must commit with it.
      written = writes.some((w) => w.afterInsert)
        ? await this.db.transaction(async (tx) => {
            const client = (tx as unknown as { session: { client: pg.PoolClient } }).session.client;
            const rows = await insertReceivedDossiers(client, writes);
            for (const [i, row] of rows.entries()) if (row) await writes[i]!.afterInsert?.(tx, row);
            return rows;
          })
        : await insertReceivedDossiers(this.pool, writes);
    } catch (err) {
      if (group.length === 1) return group[0]!.reject(err);
      // One intake's failure (a constraint, its idempotency key taken meanwhile) must not fail the others.
      this.hooks.logger?.warn({ err, size: group.length }, 'intake group failed; writing its intakes one by one');
      await Promise.all(group.map((p) => this.commit([p])));
      return;
    }
    for (const [i, row] of written.entries()) {
      if (row) group[i]!.resolve(row);
      else group[i]!.reject(new CalendarChanged());
    }
  }
}
