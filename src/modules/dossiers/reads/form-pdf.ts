import PDFDocument from 'pdfkit';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { registerColumns } from './register.js';

/**
 * A form of Thông tư 01/2018 or 03/2025 (forms.ts, form-of.ts, register.ts) as a printable A4 PDF, headed by its
 * number and legal basis; the register, a wide table, on a landscape page. The font is DejaVu Sans, embedded
 * (subset), so every Vietnamese letter prints right whatever the printer has; the text stays text (searchable,
 * copyable).
 */
const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = join(fontDir, 'DejaVuSans.ttf');
const BOLD = join(fontDir, 'DejaVuSans-Bold.ttf');

/** Labels of the forms' fields, in the order they print. */
const LABELS: [string, string][] = [
  ['dossierCode', 'Mã hồ sơ'],
  ['desk', 'Bộ phận tiếp nhận và trả kết quả'],
  ['period', 'Thời gian theo dõi'],
  ['count', 'Số hồ sơ'],
  ['procedure', 'Thủ tục hành chính'],
  ['applicant', 'Tổ chức, cá nhân nộp hồ sơ'],
  ['applicantName', 'Tổ chức, cá nhân'],
  ['agency', 'Cơ quan giải quyết'],
  ['receivedAt', 'Thời gian tiếp nhận'],
  ['appointment', 'Thời gian hẹn trả kết quả'],
  ['previousAppointment', 'Thời gian hẹn trả kết quả đã ghi trên Giấy tiếp nhận'],
  ['proposedAppointment', 'Thời gian đề xuất hẹn lại'],
  ['newAppointment', 'Thời gian hẹn trả kết quả mới'],
  ['resultDelivery', 'Hình thức nhận kết quả'],
  ['requestedAt', 'Thời gian tổ chức, cá nhân đề nghị dừng'],
  ['stage', 'Tình trạng hồ sơ khi dừng'],
  ['decision', 'Kết quả giải quyết'],
  ['reason', 'Lý do'],
  ['notice', 'Nội dung thông báo'],
  ['status', 'Tình trạng'],
  ['issuedAt', 'Thời gian ban hành'],
  ['issuedBy', 'Người ký'],
  ['lateApology', 'Ban hành sau thời hạn (chậm hơn 01 ngày làm việc trước hẹn)'],
  ['at', 'Thời gian'],
  ['lookup', 'Tra cứu'],
  ['ratingToken', 'Mã đánh giá mức độ hài lòng'],
  ['receivedBy', 'Người tiếp nhận'],
  ['officer', 'Cán bộ'],
];
const APPLICANT: [string, string][] = [
  ['name', 'Họ tên / Tên tổ chức'],
  ['citizenId', 'Số định danh cá nhân'],
  ['taxCode', 'Mã số thuế'],
  ['representative', 'Người đại diện'],
  ['address', 'Địa chỉ'],
  ['phone', 'Điện thoại'],
  ['email', 'Thư điện tử'],
];
/** The tables of the forms: documents (receipt), missing items (supplement guidance), handoffs and paper transfers (control slip), dossiers (register). */
const TABLES: Record<string, { title: string; columns: [string, string, number][]; fontSize?: number }> = {
  documents: { title: 'Thành phần hồ sơ', columns: [['no', 'STT', 30], ['name', 'Tên giấy tờ', 300], ['kind', 'Loại', 80], ['digitised', 'Số hóa', 70]] },
  items: { title: 'Nội dung yêu cầu bổ sung, hoàn thiện', columns: [['no', 'STT', 30], ['name', 'Giấy tờ', 250], ['reason', 'Lý do', 200]] },
  lines: {
    title: 'Quá trình giải quyết',
    columns: [['no', 'STT', 25], ['step', 'Bước', 110], ['giver', 'Bên giao', 100], ['receiver', 'Bên nhận', 100], ['at', 'Thời gian', 85], ['timeliness', 'Kết quả', 60]],
  },
  rows: { title: 'Hồ sơ', columns: registerColumns, fontSize: 7 },
  // The paper's own trail on the control slip (a dossier received in one place and decided in another).
  paperTransfers: {
    title: 'Chuyển hồ sơ giấy, kết quả giấy',
    columns: [['no', 'STT', 25], ['kind', 'Nội dung', 95], ['from', 'Nơi gửi', 70], ['to', 'Nơi nhận', 70], ['method', 'Cách chuyển', 90], ['sentAt', 'Gửi lúc', 65], ['receivedAt', 'Nhận lúc', 65]],
  },
};
const INSTANTS = ['receivedAt', 'appointment', 'at', 'previousAppointment', 'proposedAppointment', 'newAppointment', 'requestedAt', 'issuedAt', 'sentAt', 'resultAt', 'returnedAt'];

/** '2024-06-03T08:00:00+07:00' → '08:00 ngày 03/06/2024' (the instant is already local: text only, no date arithmetic). */
function localText(v: unknown): string {
  const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(v) : null;
  return m ? `${m[4]}:${m[5]} ngày ${m[3]}/${m[2]}/${m[1]}` : String(v ?? '');
}
/** '2026-12-01' → '01/12/2026'. */
const dateText = (v: string) => v.split('-').reverse().join('/');
const text = (key: string, v: unknown): string => {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'boolean') return v ? 'Có' : 'Không';
  if (INSTANTS.includes(key)) return localText(v);
  if (key === 'period' && typeof v === 'string') {
    const [from = '', to = ''] = v.split('/');
    return `từ ngày ${dateText(from)} đến ngày ${dateText(to)}`;
  }
  if (key === 'status' && (v === 'draft' || v === 'issued')) return v === 'draft' ? 'Dự thảo' : 'Đã ban hành';
  if (key === 'procedure' && typeof v === 'object') {
    const p = v as { code: string; name: string };
    return `${p.name} (${p.code})`;
  }
  return String(v);
};

export async function formPdf(form: Record<string, unknown>): Promise<Buffer> {
  const wide = Array.isArray(form.rows);
  const doc = new PDFDocument({ size: 'A4', layout: wide ? 'landscape' : 'portrait', margin: 50, info: { Title: `${String(form.form)} - ${String(form.title)}`, Producer: 'motcua' } });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 100;

  doc.font('bold').fontSize(11).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { align: 'center' });
  doc.font('bold').fontSize(11).text('Độc lập - Tự do - Hạnh phúc', { align: 'center' });
  doc.moveDown(0.8);
  doc.font('regular').fontSize(9).text(String(form.form ?? ''), { align: 'right' });
  if (form.legalBasis) doc.font('regular').fontSize(7).text(`(${String(form.legalBasis)})`, { align: 'right' });
  doc.font('bold').fontSize(14).text(String(form.title ?? '').toUpperCase(), { align: 'center' });
  doc.moveDown();

  const field = (label: string, value: string) => {
    if (!value) return;
    doc.font('bold').fontSize(10).text(`${label}: `, { continued: true }).font('regular').text(value, { width });
  };
  for (const [key, label] of LABELS) {
    const v = form[key];
    if (key === 'applicant' && v && typeof v === 'object') {
      doc.font('bold').fontSize(10).text(`${label}:`);
      for (const [k, l] of APPLICANT) field(`   ${l}`, text(k, (v as Record<string, unknown>)[k]));
      continue;
    }
    field(label, text(key, v));
  }
  for (const [key, table] of Object.entries(TABLES)) {
    const rows = form[key];
    if (!Array.isArray(rows) || rows.length === 0) continue;
    doc.moveDown(0.6).font('bold').fontSize(10).text(`${table.title}:`);
    const startX = doc.page.margins.left;
    let pageTurned = false;
    const row = (cells: string[], font: 'regular' | 'bold') => {
      const y = doc.y + 2;
      let x = startX;
      let height = 0;
      doc.font(font).fontSize(table.fontSize ?? 9);
      cells.forEach((c, i) => {
        const w = table.columns[i]![2];
        // Laid out once: the cell's height is where its text ended.
        doc.text(c, x + 3, y, { width: w - 6 });
        height = Math.max(height, doc.y - y);
        x += w;
      });
      doc.y = y + height + 4;
      doc.x = startX;
      if (doc.y > doc.page.height - 80) {
        doc.addPage();
        pageTurned = true;
      }
    };
    // The column headings head every page the table runs onto, as a printed register's do.
    const headings = () => {
      if (doc.y > doc.page.height - 120) doc.addPage(); // never the headings alone at a page's foot
      row(table.columns.map((c) => c[1]), 'bold');
      pageTurned = false;
    };
    headings();
    for (const [i, r] of (rows as Record<string, unknown>[]).entries()) {
      if (pageTurned) headings();
      row(table.columns.map(([k]) => text(k, r[k])), 'regular');
      // Laying out is synchronous: a register of thousands of lines gives the event loop back every 100 of them.
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  doc.end();
  return done;
}
