import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../src/db/client.js';
import { fields, locationIndependentListProcedures, locationIndependentLists, procedures } from '../../src/db/schema/index.js';
import { versionInForce } from '../../src/modules/catalog/index.js';

/**
 * The city's list of procedures received anywhere in the city (Nghị định 118/2025/NĐ-CP) until its administrator
 * publishes one: an ASSUMPTION, since no decision of Đà Nẵng's People's Committee listing them was found (seeds/README.md).
 * - every city-level procedure: the decree's first group (the provincial committee, its chairman and departments),
 *   which has a single deciding place whichever centre receives it;
 * - the commune-level procedures (with the former district-level ones, decided in the commune since 2025-07-01) of
 *   two fields: Chứng thực (certification: any commune may certify) and Hộ tịch (civil status: decided by the commune
 *   of residence, which the intake names). Named by code, found by the fields' names in the catalogue in force on
 *   the list's first day.
 */
export const DEFAULT_LOCATION_INDEPENDENT_LIST = {
  validFrom: '2025-07-01',
  basis: 'Danh mục mặc định của hệ thống (giả định; chưa có quyết định của UBND thành phố Đà Nẵng): toàn bộ thủ tục cấp thành phố và thủ tục cấp xã lĩnh vực Chứng thực, Hộ tịch',
  allCityLevel: true,
  communeFieldNames: ['Chứng thực', 'Hộ tịch'],
  reason: 'Danh mục ban đầu khi Nghị định 118/2025/NĐ-CP có hiệu lực; thay bằng danh mục do UBND thành phố quyết định',
};

/** Inserts the default list once its day has come and no version for that day exists; the number of procedures named, or null. */
export async function loadDefaultLocationIndependentList(tx: Tx, upTo: string): Promise<number | null> {
  const l = DEFAULT_LOCATION_INDEPENDENT_LIST;
  if (l.validFrom > upTo) return null;
  const [row] = await tx
    .insert(locationIndependentLists)
    .values({ validFrom: l.validFrom, basis: l.basis, allCityLevel: l.allCityLevel, reason: l.reason, createdBy: 'seed' })
    .onConflictDoNothing()
    .returning({ id: locationIndependentLists.id });
  if (!row) return null;
  const named = await tx
    .select({ code: procedures.code })
    .from(procedures)
    .innerJoin(fields, eq(fields.code, procedures.fieldCode))
    .where(and(versionInForce(l.validFrom), inArray(procedures.level, ['commune', 'district']), inArray(fields.name, l.communeFieldNames)));
  if (named.length > 0) await tx.insert(locationIndependentListProcedures).values(named.map((p) => ({ listId: row.id, procedureCode: p.code })));
  return named.length;
}
