import { asc, desc, eq } from 'drizzle-orm';
import type { Deps } from '../../../deps.js';
import { auditLog, controlSlipLines, desks, dossierEvents, dossierPauses } from '../../../db/schema/index.js';
import { formatInstant } from '../../../domain/calendar/local-time.js';
import { DomainError } from '../../../lib/errors.js';
import type { StaffActor } from '../../../domain/actor.js';
import { procedureVersion } from '../../catalog/index.js';
import { receiptForm, refusalForm, supplementGuidanceForm } from './forms.js';
import { visibleDossier } from './queries.js';

/**
 * The data of a dossier's forms (Mẫu 01 receipt, Mẫu 02 supplement guidance for the latest request during
 * processing, Mẫu 03 refusal when processing was stopped, Mẫu 05 control slip), as a desk prints them.
 */
export async function formOf(deps: Deps, who: StaffActor, code: string, form: 'receipt' | 'supplement-guidance' | 'refusal' | 'control-slip') {
  const d = await visibleDossier(deps, who, code);
  await deps.db.insert(auditLog).values({ actor: who.username, action: `read_form:${form}`, dossierCode: code });
  const procedure = await procedureVersion(deps.db, d.procedureId);
  const [desk] = await deps.db.select().from(desks).where(eq(desks.code, d.deskCode)).limit(1);
  const deskRef = { code: d.deskCode, name: desk?.name ?? d.deskCode };
  switch (form) {
    case 'receipt':
      return receiptForm({ dossier: d, procedure, desk: deskRef, ratingSecret: deps.config.PERSONAL_DATA_KEY, receivedByName: await deps.staffNames.of(d.createdBy) });
    case 'supplement-guidance': {
      const [pause] = await deps.db.select().from(dossierPauses).where(eq(dossierPauses.dossierId, d.id)).orderBy(desc(dossierPauses.id)).limit(1);
      if (!pause) throw new DomainError('NOT_FOUND', `Dossier ${code} has no supplement request`);
      return {
        ...supplementGuidanceForm({ procedure, desk: deskRef, applicant: d.applicant, missing: pause.items, at: pause.from, officer: await deps.staffNames.of(pause.requestedBy), reason: pause.reason }),
        dossierCode: d.code,
      };
    }
    case 'refusal': {
      if (d.status !== 'stopped') throw new DomainError('NOT_FOUND', `Dossier ${code} was not refused`);
      const [ev] = await deps.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, d.id)).orderBy(desc(dossierEvents.id)).limit(1);
      const reason = String((ev?.data as { reason?: string } | undefined)?.reason ?? '');
      return { ...refusalForm({ procedure, desk: deskRef, applicant: d.applicant, reason, at: d.endedAt ?? d.updatedAt, officer: ev ? await deps.staffNames.of(ev.actor) : '' }), dossierCode: d.code };
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
        form: 'Mẫu 05',
        title: 'Phiếu kiểm soát quá trình giải quyết hồ sơ',
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
      };
    }
  }
}
