import { and, eq, gt, isNull, lte, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { agencies, delegationDecisions, delegationProcedures, units, type ProcedureRow } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';

export interface Authority {
  /** Who decides in law: 'agency', 'ubnd_tinh', 'chu_tich_ubnd_tinh', 'ubnd_huyen', … */
  authority: string;
  /** The agency that decides for this dossier (the delegate, when a delegation is in force). */
  agencyCode: string;
  /** The delegation or decentralisation decision relied on, if any. */
  decisionNumber: string | null;
}

const validOn = (t: typeof agencies | typeof units, date: string) =>
  and(lte(t.validFrom, date), or(isNull(t.validTo), gt(t.validTo, date)));

async function agencyByTemplate(db: DbOrTx, template: string, unitCode: string, date: string) {
  const [row] = await db
    .select({ code: agencies.code })
    .from(agencies)
    .where(and(eq(agencies.templateCode, template), eq(agencies.unitCode, unitCode), validOn(agencies, date)));
  return row?.code;
}

/** The district a desk belongs to (itself for a district desk, its parent for a commune desk). */
async function districtOf(db: DbOrTx, unitCode: string, date: string): Promise<string> {
  const [u] = await db.select().from(units).where(and(eq(units.code, unitCode), validOn(units, date)));
  if (!u) throw new DomainError('UNIT_NOT_FOUND', `Unit ${unitCode} does not exist on ${date}`);
  return u.level === 'commune' ? (u.parentCode ?? unitCode) : u.code;
}

/**
 * Resolves who decides a procedure for a dossier received at a desk on a local date (DOMAIN.md §8): a
 * delegation or decentralisation decision in force that day moves the authority to its delegate; district and
 * commune procedures are decided in the desk's own district or commune. The decision relied on is returned so
 * that it is recorded on the dossier.
 */
export async function resolveAuthority(
  db: DbOrTx,
  procedure: ProcedureRow,
  desk: { unitCode: string; level: string },
  date: string,
): Promise<Authority> {
  const [delegation] = await db
    .select({ number: delegationDecisions.number, delegate: delegationDecisions.delegateAgencyCode })
    .from(delegationProcedures)
    .innerJoin(delegationDecisions, eq(delegationDecisions.id, delegationProcedures.decisionId))
    .where(
      and(
        eq(delegationProcedures.procedureCode, procedure.code),
        lte(delegationDecisions.effectiveFrom, date),
        or(isNull(delegationDecisions.effectiveTo), gt(delegationDecisions.effectiveTo, date)),
      ),
    )
    .orderBy(delegationDecisions.effectiveFrom)
    .limit(1);

  let agencyCode = delegation?.delegate ?? procedure.agencyCode;
  // A template code (district office, commune committee) becomes the concrete agency where the dossier is.
  const [template] = await db.select({ code: agencies.code }).from(agencies).where(eq(agencies.code, agencyCode)).limit(1);
  if (!template) {
    const unit =
      procedure.level === 'commune' && desk.level === 'commune' ? desk.unitCode : await districtOf(db, desk.unitCode, date);
    const concrete = await agencyByTemplate(db, agencyCode, unit, date);
    if (!concrete) {
      throw new DomainError('AGENCY_NOT_FOUND', `No agency ${agencyCode} serves unit ${unit} on ${date}`);
    }
    agencyCode = concrete;
  }
  return { authority: procedure.authority, agencyCode, decisionNumber: delegation?.number ?? null };
}
