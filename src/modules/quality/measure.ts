import type { FormulaDefinition, Measured } from '../../domain/quality/formula.js';
import type { Facts } from './facts.js';

const rate = (numerator: number, denominator: number): Measured => ({ kind: 'rate', numerator, denominator });

/** Why an indicator is not scored: the data it needs is not held by motcua yet (DOMAIN.md §9). */
const UNTRACKED: Record<string, string> = {
  publication_dates: 'Ngày công bố TTHC chưa được quản lý trong motcua',
  national_database_updates: 'Việc cập nhật CSDL quốc gia về TTHC chưa được ghi nhận trong motcua',
  national_portal_sync: 'Chưa kết nối đồng bộ với Cổng Dịch vụ công quốc gia',
  online_payment: 'Thanh toán trực tuyến chưa được ghi nhận trong motcua',
  certified_copies: 'Dịch vụ chứng thực bản sao điện tử chưa được ghi nhận',
  data_reuse: 'Việc tái sử dụng dữ liệu số hóa chưa được ghi nhận',
  citizen_data_store: 'Chưa kết nối kho dữ liệu công dân',
  population_database: 'Chưa kết nối CSDL quốc gia về dân cư',
  feedback: 'Phản ánh, kiến nghị chưa được quản lý trong motcua',
};

/** Dossiers late for indicator 2.1 and 5.4: late, and (by the formula's rule) in time after several supplements. */
export const lateForIndex = (f: Facts, def: FormulaDefinition) => f.resolvedLate + (def.rules.multipleSupplementsCountLate ? f.resolvedInTimeMultiSupplement : 0);

/**
 * The numerator and denominator of each measure named by the formula, from a scope's facts. The definitions
 * follow DOMAIN.md §9; each drill-down (items.ts) lists the same dossiers or procedures.
 */
export function measure(f: Facts, def: FormulaDefinition, name: string): Measured {
  if (name.startsWith('untracked:')) {
    const what = name.slice('untracked:'.length);
    return { kind: 'untracked', reason: UNTRACKED[what] ?? what };
  }
  const open = def.rules.judgeOpenDossiersAtPeriodEnd;
  switch (name) {
    case 'procedures_published_complete':
      return rate(f.proceduresPublishedComplete, f.proceduresPublished);
    case 'dossiers_in_time': {
      // A second supplement request counts the dossier late (DOMAIN.md §5), whether it has ended or is still open.
      const multi = def.rules.multipleSupplementsCountLate;
      const inTime = f.resolvedEarly + f.resolvedOnTime - (multi ? f.resolvedInTimeMultiSupplement : 0);
      const openInTime = f.openInTimeAtEnd - (multi ? f.openInTimeMultiSupplementAtEnd : 0);
      return rate(inTime + (open ? openInTime : 0), f.resolved + (open ? f.openAtEnd : 0));
    }
    case 'average_working_days':
      return { kind: 'value', value: f.resolved ? Math.round((f.resolvedWorkingMinutes / f.resolved / 480) * 100) / 100 : null, unit: 'ngày làm việc' };
    case 'procedures_online':
      return rate(f.proceduresOnline, f.procedures);
    case 'online_services_used':
      return rate(f.onlineServicesUsed, f.proceduresOnline);
    case 'dossiers_online':
      return rate(f.receivedOnline, f.received);
    case 'electronic_results':
      return rate(Math.min(f.resolvedElectronic, f.resolvedPaperResult), f.resolvedPaperResult);
    case 'dossiers_digitised':
      return rate(f.receivedDigitised, f.received);
    // From the files (src/modules/documents): each dossier counts once, on the day of the act that completes it; a
    // numerator counted in the month of its act may, at a month's edge, pass a denominator counted in another.
    case 'electronic_result_files':
      return rate(Math.min(f.resultFileAttached, f.resolvedPaperResult), f.resolvedPaperResult);
    case 'dossiers_digitised_files':
      return rate(Math.min(f.digitisedRecorded, f.received), f.received);
    case 'dossiers_reusing_data':
      return rate(Math.min(f.reusedData, f.received), f.received);
    case 'satisfied_with_handling':
      // 100 % − (late rate + rate of negative ratings), over the dossiers resolved.
      return rate(Math.max(0, f.resolved - lateForIndex(f, def) - f.ratedNegative), f.resolved);
    default:
      return { kind: 'untracked', reason: `unknown measure ${name}` };
  }
}

/** The measures this version of motcua knows (a formula naming another is refused when it is created). */
export const KNOWN_MEASURES = [
  'procedures_published_complete', 'dossiers_in_time', 'average_working_days', 'procedures_online', 'online_services_used',
  'dossiers_online', 'electronic_results', 'dossiers_digitised', 'satisfied_with_handling',
  'electronic_result_files', 'dossiers_digitised_files', 'dossiers_reusing_data',
];
export const isKnownMeasure = (m: string) => KNOWN_MEASURES.includes(m) || (m.startsWith('untracked:') && m.length > 10);
