import { and, asc, desc, eq } from 'drizzle-orm';
import type { Deps } from '../../../deps.js';
import { apologies, auditLog, controlSlipLines, desks, dossierEvents, dossierPauses } from '../../../db/schema/index.js';
import { formatInstant, localDateOf } from '../../../domain/calendar/local-time.js';
import { formsCircularFor } from '../../../domain/dossier/forms-circular.js';
import { statusText } from '../../../domain/dossier/status-text.js';
import type { DossierStatus } from '../../../domain/dossier/state-machine.js';
import { DomainError } from '../../../lib/errors.js';
import type { StaffActor } from '../../../domain/actor.js';
import { procedureVersion } from '../../catalog/index.js';
import { apologyForm, headingOf, receiptForm, refusalForm, stopNoticeForm, supplementGuidanceForm } from './forms.js';
import { paperTransfersOf } from './paper-transfers.js';
import { visibleDossier } from './queries.js';

export const dossierForms = ['receipt', 'supplement-guidance', 'refusal', 'apology', 'stop-notice', 'control-slip'] as const;
export type DossierForm = (typeof dossierForms)[number];

/**
 * The data of a dossier's forms, as a desk prints them, under the circular in force when it was received
 * (Thông tư 01/2018 before FORMS_TT03_2025_FROM, Thông tư 03/2025 from it): the receipt (Mẫu 01), the supplement
 * guidance for the latest request during processing (Mẫu 02), the refusal when processing was stopped (Mẫu 03),
 * the apology (Mẫu 04), the notice of stopping at the applicant's request (Mẫu 05 of TT 03/2025 only) and the
 * control slip (Mẫu 05 of TT 01/2018, Mẫu 06 of TT 03/2025).
 */
export async function formOf(deps: Deps, who: StaffActor, code: string, form: DossierForm) {
  const d = await visibleDossier(deps, who, code);
  await deps.db.insert(auditLog).values({ actor: who.username, action: `read_form:${form}`, dossierCode: code });
  const circular = formsCircularFor(d.receivedAt, deps.config.FORMS_TT03_2025_FROM);
  const procedure = await procedureVersion(deps.db, d.procedureId);
  const deskRef = await deskRefOf(deps, d.deskCode);
  /** The event of the act that ended the dossier (its reason, actor and instant). */
  const endingEvent = async (act: 'stop' | 'withdraw') =>
    (await deps.db.select().from(dossierEvents).where(and(eq(dossierEvents.dossierId, d.id), eq(dossierEvents.type, act))).orderBy(desc(dossierEvents.id)).limit(1))[0];
  const reasonOf = (ev: { data: unknown } | undefined) => String((ev?.data as { reason?: string } | undefined)?.reason ?? '');
  switch (form) {
    case 'receipt':
      return receiptForm({ dossier: d, procedure, desk: deskRef, returnDesk: d.resultDelivery.deskCode ? await deskRefOf(deps, d.resultDelivery.deskCode) : undefined, ratingSecret: deps.config.PERSONAL_DATA_KEY, receivedByName: await deps.staffNames.of(d.createdBy), circular });
    case 'supplement-guidance': {
      const [pause] = await deps.db.select().from(dossierPauses).where(eq(dossierPauses.dossierId, d.id)).orderBy(desc(dossierPauses.id)).limit(1);
      if (!pause) throw new DomainError('NOT_FOUND', `Dossier ${code} has no supplement request`);
      return {
        ...supplementGuidanceForm({ procedure, desk: deskRef, applicant: d.applicant, missing: pause.items, at: pause.from, officer: await deps.staffNames.of(pause.requestedBy), reason: pause.reason, circular }),
        dossierCode: d.code,
      };
    }
    case 'refusal': {
      if (d.status !== 'stopped') throw new DomainError('NOT_FOUND', `Dossier ${code} was not refused`);
      const ev = await endingEvent('stop');
      return {
        ...refusalForm({ procedure, desk: deskRef, applicant: d.applicant, reason: reasonOf(ev), at: d.endedAt ?? d.updatedAt, officer: ev ? await deps.staffNames.of(ev.actor) : '', circular }),
        dossierCode: d.code,
      };
    }
    case 'apology': {
      const [a] = await deps.db.select().from(apologies).where(eq(apologies.dossierId, d.id));
      if (!a) throw new DomainError('NOT_FOUND', `Dossier ${code} has no apology`);
      // The printed form names the agency and the head who signed, not their codes.
      const agency = await deps.reference.agency(a.agencyCode, localDateOf(a.draftedAt.getTime()));
      return { ...apologyForm({ dossier: d, apology: a, desk: deskRef, circular }), agency: agency?.name ?? a.agencyCode, issuedBy: a.issuedBy ? await deps.staffNames.of(a.issuedBy) : null };
    }
    case 'stop-notice': {
      headingOf(circular, 'stop-notice'); // 404 for a dossier of Thông tư 01/2018, which has no such form
      if (d.status !== 'withdrawn') throw new DomainError('NOT_FOUND', `Dossier ${code} was not stopped at the applicant's request`);
      const ev = await endingEvent('withdraw');
      const stoppedAt = ev?.at ?? d.endedAt ?? d.updatedAt;
      const from = (ev?.fromStatus ?? 'received') as DossierStatus;
      return stopNoticeForm({
        dossier: d,
        procedure,
        desk: deskRef,
        requestedAt: stoppedAt,
        reason: reasonOf(ev),
        stage: statusText[from],
        officer: ev ? await deps.staffNames.of(ev.actor) : '',
        circular,
      });
    }
    case 'control-slip': {
      const lines = await deps.db.select().from(controlSlipLines).where(eq(controlSlipLines.dossierId, d.id)).orderBy(asc(controlSlipLines.id));
      const names = await deps.staffNames.ofAll(lines.flatMap((l) => [l.giverUsername, ...(l.receiverUsername ? [l.receiverUsername] : [])]));
      const roleName: Record<string, string> = {
        desk_officer: 'Bộ phận Một cửa',
        specialist: 'Chuyên viên',
        agency_head: 'Lãnh đạo',
        leader: 'Lãnh đạo UBND',
        applicant: `Tổ chức, cá nhân: ${d.applicant.name}`,
      };
      const kindName = { handoff: 'Giao hồ sơ', reassignment: 'Giao lại trong bước', transfer: 'Chuyển Bộ phận Một cửa', completion: 'Trả kết quả về Bộ phận Một cửa', return: 'Trả kết quả cho tổ chức, cá nhân' } as const;
      return {
        ...headingOf(circular, 'control-slip'),
        dossierCode: d.code,
        procedure: { code: procedure.code, name: procedure.name },
        receivedAt: formatInstant(d.receivedAt.getTime()),
        appointment: d.dueAt ? formatInstant(d.dueAt.getTime()) : null,
        lines: lines.map((l, i) => ({
          no: i + 1,
          kind: kindName[l.kind],
          step: l.stepName,
          giver: `${names.get(l.giverUsername)} (${l.giverAgencyCode})`,
          receiver: [l.receiverUsername ? names.get(l.receiverUsername) : l.receiverRole ? roleName[l.receiverRole] ?? l.receiverRole : null, `(${l.receiverAgencyCode})`]
            .filter(Boolean)
            .join(' '),
          at: formatInstant(l.at.getTime()),
          timeliness: { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' }[l.timeliness],
        })),
        // The paper's own trail (Nghị định 118/2025: a dossier decided elsewhere travels by post or by hand).
        paperTransfers: (await paperTransfersOf(deps, d.id)).map((t, i) => ({
          no: i + 1,
          kind: t.kind === 'dossier' ? 'Chuyển hồ sơ giấy' : 'Chuyển kết quả giấy',
          from: t.fromCode,
          to: t.toCode,
          method: t.method === 'post' ? `Qua bưu chính công ích${t.reference ? ` (${t.reference})` : ''}` : `Trực tiếp${t.reference ? ` (${t.reference})` : ''}`,
          sentAt: formatInstant(t.sentAt.getTime()),
          receivedAt: t.receivedAt ? formatInstant(t.receivedAt.getTime()) : 'Chưa nhận',
        })),
      };
    }
  }
}

/** A desk as the forms name it: its code and name (the code again for one no longer held). */
async function deskRefOf(deps: Deps, code: string) {
  const [desk] = await deps.db.select({ name: desks.name }).from(desks).where(eq(desks.code, code)).limit(1);
  return { code, name: desk?.name ?? code };
}
