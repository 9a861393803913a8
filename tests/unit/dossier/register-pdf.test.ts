import { describe, expect, it } from 'vitest';
import { formPdf } from '../../../src/modules/dossiers/index.js';
import { pdfPages } from '../../helpers/pdf.js';

describe('the dossier register printed (Mẫu 07)', () => {
  it('repeats the column headings on every page the table runs onto', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({
      no: i + 1,
      dossierCode: `TX20194-261201-${String(i + 1).padStart(4, '0')}`,
      procedure: { code: '1.004222', name: 'Đăng ký thường trú' },
      applicant: 'Nguyễn Văn A',
      contact: 'Phường Hải Vân, 0905 000 000',
      authority: 'Công an phường Hải Vân',
      receivedAt: '2026-12-01T08:00:00+07:00',
      appointment: '2026-12-10T17:00:00+07:00',
      status: 'Đang giải quyết',
    }));
    const pages = await pdfPages(await formPdf({ form: 'Mẫu 07', title: 'Sổ theo dõi hồ sơ', rows }));
    expect(pages.length).toBeGreaterThan(2);
    for (const [i, page] of pages.entries()) {
      expect(page, `page ${i + 1}`).toContain('Tên thủ tục hành chính');
      expect(page, `page ${i + 1}`).toContain('Mã hồ sơ');
    }
    // Every row printed once.
    const printed = pages.join(' ').match(/TX20194-261201-\d{4}/g) ?? [];
    expect(new Set(printed).size).toBe(rows.length);
  });
});
