import { eq } from 'drizzle-orm';
import { timingSafeEqual } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { desks, dossiers } from '../../db/schema/index.js';
import { DomainError } from '../../lib/errors.js';
import { maskName } from '../dossiers/index.js';
import { statusText } from '../../domain/dossier/status-text.js';

/**
 * A citizen looks a dossier up by its code and the last 4 digits of the phone given at intake. A wrong phone
 * and an unknown code give the same 404, so the lookup reveals nothing about codes that exist.
 */
export async function lookupDossier(deps: Deps, code: string, phoneLast4: string) {
  const d = await phoneCheckedDossier(deps, code, phoneLast4);
  const [desk] = await deps.db.select().from(desks).where(eq(desks.code, d.resultDelivery.deskCode ?? d.deskCode)).limit(1);
  const noResult = d.status === 'stopped' || d.status === 'withdrawn';
  return {
    code: d.code,
    status: d.status,
    statusText: statusText[d.status],
    applicantName: maskName(d.applicant.name),
    procedureCode: d.procedureCode,
    receivedAt: d.receivedAt,
    // After an apology the applicant is promised the new appointment; a stopped or withdrawn dossier has none.
    appointment: noResult ? null : (d.newDueAt ?? d.dueAt),
    clockPaused: d.status === 'supplement_requested',
    collect:
      d.status === 'stopped'
        ? `Hồ sơ dừng xử lý: nhận văn bản trả lời và hồ sơ tại ${desk?.name ?? d.deskCode}`
        : d.status === 'withdrawn'
          ? `Hồ sơ đã rút theo yêu cầu: nhận lại hồ sơ tại ${desk?.name ?? d.deskCode}`
          : d.resultDelivery.method === 'post'
        ? 'Kết quả được gửi qua dịch vụ bưu chính công ích đến địa chỉ đã đăng ký'
        : d.resultDelivery.method === 'electronic'
          ? 'Kết quả điện tử được gửi qua Cổng dịch vụ công'
          : `Nhận kết quả tại ${desk?.name ?? d.deskCode}`,
  };
}

/** The dossier if the phone's last 4 digits match the ones given at intake; else the same 404 as an unknown code. */
export async function phoneCheckedDossier(deps: Pick<Deps, 'db'>, code: string, phoneLast4: string) {
  const [d] = await deps.db.select().from(dossiers).where(eq(dossiers.code, code));
  const expected = Buffer.from(d?.phoneLast4 ?? '????');
  const given = Buffer.from(phoneLast4.padEnd(4, '?').slice(0, 4));
  if (!d || !timingSafeEqual(expected, given)) throw new DomainError('DOSSIER_NOT_FOUND', `Dossier ${code} not found`);
  return d;
}
