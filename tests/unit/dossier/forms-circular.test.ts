import { describe, expect, it } from 'vitest';
import { formHeading, formsCircularFor, TT01_2018, TT03_2025 } from '../../../src/domain/dossier/forms-circular.js';

describe('which circular’s forms a dossier gets', () => {
  it('is Thông tư 03/2025 from the local day it begins, Thông tư 01/2018 before (UTC+7)', () => {
    expect(formsCircularFor(new Date('2025-06-30T23:59:00+07:00'), '2025-07-01')).toBe(TT01_2018);
    // 17:00 UTC on 30 June is already 1 July in Việt Nam.
    expect(formsCircularFor(new Date('2025-06-30T17:00:00Z'), '2025-07-01')).toBe(TT03_2025);
    expect(formsCircularFor(new Date('2026-12-01T09:00:00+07:00'), '2025-07-01')).toBe(TT03_2025);
    // The day is a setting: moved to the circular's signature, August's dossiers keep the old forms.
    expect(formsCircularFor(new Date('2025-08-01T09:00:00+07:00'), '2025-09-15')).toBe(TT01_2018);
  });

  it('numbers the forms as each circular does: seven from 2025, six before, and no stop notice before', () => {
    expect(Object.values(TT03_2025.forms).map((f) => `${f.no} ${f.title}`)).toEqual([
      '01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
      '02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
      '03 Phiếu từ chối tiếp nhận giải quyết hồ sơ',
      '04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết',
      '05 Thông báo dừng giải quyết hồ sơ',
      '06 Phiếu kiểm soát quá trình giải quyết hồ sơ',
      '07 Sổ theo dõi hồ sơ',
    ]);
    expect(formHeading(TT01_2018, 'control-slip')).toMatchObject({ form: 'Mẫu 05', formVersion: 'TT01/2018/Mẫu 05' });
    expect(formHeading(TT01_2018, 'register')?.form).toBe('Mẫu 06');
    expect(formHeading(TT01_2018, 'apology')?.title).toBe('Phiếu xin lỗi và hẹn lại ngày trả kết quả');
    expect(formHeading(TT01_2018, 'stop-notice')).toBeNull();
    expect(formHeading(TT03_2025, 'stop-notice')?.legalBasis).toBe(
      'Mẫu số 05 Phụ lục I ban hành kèm theo Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ',
    );
  });
});
