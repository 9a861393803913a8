import type { DossierStatus } from './state-machine.js';

/** A dossier's status as the applicant and the forms read it (the national reporting vocabulary, DOMAIN.md §4). */
export const statusText: Record<DossierStatus, string> = {
  received: 'Đã tiếp nhận',
  in_processing: 'Đang giải quyết',
  supplement_requested: 'Chờ bổ sung hồ sơ',
  processed: 'Đã có kết quả, chờ trả',
  returned: 'Đã trả kết quả',
  stopped: 'Dừng xử lý / Từ chối',
  withdrawn: 'Đã rút hồ sơ',
};
