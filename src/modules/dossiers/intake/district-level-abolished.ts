import type { ReferenceCache } from '../../catalog/index.js';

/**
 * Whether a desk is a commune's centre under two-level local government on a day: its commune has no district above
 * it (from 2025-07-01, Luật Tổ chức chính quyền địa phương 2025 ended the district level), so the centre receives the
 * former district procedures, decided in that commune (Nghị định 118/2025/NĐ-CP). The intake and the postal
 * pre-check ask the same question.
 */
export async function districtLevelAbolished(reference: ReferenceCache, desk: { level: string; unitCode: string }, day: string): Promise<boolean> {
  return desk.level === 'commune' && (await reference.districtOf(desk.unitCode, day)) === desk.unitCode;
}
