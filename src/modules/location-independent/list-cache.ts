import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { locationIndependentListProcedures, locationIndependentLists, referenceRevision } from '../../db/schema/index.js';
import { listInForce, type LocationIndependentList } from '../../domain/dossier/location-independent.js';

/**
 * The city's location-independent lists (every version, with the procedures each names), held in memory: every
 * intake reads the one in force on its day, and the lists change a few times a year. A change bumps the shared
 * `reference_revision`, which each process compares at most once a second, so all see it within a second.
 */
export class LocationIndependentLists {
  private versions: LocationIndependentList[] | null = null;
  private revision = -1;
  private checkedAt = 0;
  private loading: Promise<LocationIndependentList[]> | null = null;

  constructor(private readonly db: Db) {}

  invalidate() {
    this.versions = null;
  }

  /** Every version, oldest first, each with the day the next takes over. */
  async all(): Promise<LocationIndependentList[]> {
    if (this.versions && Date.now() - this.checkedAt > 1000) {
      this.checkedAt = Date.now();
      const [row] = await this.db.select({ revision: referenceRevision.revision }).from(referenceRevision);
      if ((row?.revision ?? 0) !== this.revision) this.versions = null;
    }
    if (this.versions) return this.versions;
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** The version in force on a local date, or null (none yet: before Nghị định 118/2025's lists). */
  async inForce(day: string): Promise<LocationIndependentList | null> {
    return listInForce(await this.all(), day);
  }

  private async load() {
    const [rev] = await this.db.select({ revision: referenceRevision.revision }).from(referenceRevision);
    const [lists, named] = await Promise.all([
      this.db.select().from(locationIndependentLists).orderBy(asc(locationIndependentLists.validFrom)),
      this.db.select().from(locationIndependentListProcedures),
    ]);
    const codes = new Map<number, Set<string>>();
    for (const n of named) codes.set(n.listId, (codes.get(n.listId) ?? new Set()).add(n.procedureCode));
    const versions = lists.map((l, i) => ({
      id: l.id,
      validFrom: l.validFrom,
      validTo: lists[i + 1]?.validFrom ?? null,
      basis: l.basis,
      allCityLevel: l.allCityLevel,
      procedureCodes: codes.get(l.id) ?? new Set<string>(),
    }));
    this.versions = versions;
    this.revision = rev?.revision ?? 0;
    this.checkedAt = Date.now();
    return versions;
  }
}

/** One version as stored, with its creation record. */
export async function listRow(db: Db, id: number) {
  const [row] = await db.select().from(locationIndependentLists).where(eq(locationIndependentLists.id, id));
  return row;
}
