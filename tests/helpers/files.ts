import { expect } from 'vitest';
import type { TestContext } from './app.js';

/** Small real files of each accepted type, and a few that are not, for upload tests. */

/** A PDF with `pages` empty A4 pages (a valid document: catalogue, page tree, pages, xref omitted as readers allow). */
export function minimalPdf(pages: number, salt = ''): Buffer {
  const kids = Array.from({ length: pages }, (_, i) => `${3 + i} 0 R`).join(' ');
  const objects = [
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    `2 0 obj << /Type /Pages /Kids [${kids}] /Count ${pages} >> endobj`,
    ...Array.from({ length: pages }, (_, i) => `${3 + i} 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj`),
  ];
  return Buffer.from(`%PDF-1.4\n${objects.join('\n')}\n% ${salt}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

/** A 1×1 PNG. */
export const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The start of a JPEG (SOI, APP0 JFIF) followed by filler: enough for the type check. */
export function jpeg(salt = ''): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), Buffer.from(`photo ${salt}`), Buffer.from([0xff, 0xd9])]);
}

/** A multipart/form-data body with one file part, as a browser or curl -F sends it. */
export function multipart(content: Buffer, fileName = 'scan.pdf', contentType = 'application/octet-stream') {
  const boundary = `----motcua${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), head, tail, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

type Who = { authorization: string; username: string };

/**
 * Requests of the files tests through `app.inject` (the app and the desk officer are read when a request is made,
 * so a test file may set them up in its beforeAll): JSON posts and gets as a staff member (or without login), a
 * multipart upload, and an intake at a desk answering the dossier's code, deciding agency and phone ending.
 */
export function fileRequests(app: () => TestContext['app'], intake: (overrides: Record<string, unknown>) => object, desk: () => Who) {
  const post = (url: string, payload: unknown, who: Who) => app().inject({ method: 'POST', url, payload: payload as object, headers: who });
  const get = (url: string, who?: Who) => app().inject({ method: 'GET', url, ...(who ? { headers: who } : {}) });
  const upload = (url: string, content: Buffer, who: Who) => {
    const m = multipart(content);
    return app().inject({ method: 'POST', url, payload: m.payload, headers: { ...who, ...m.headers } });
  };
  const receive = async (overrides: Record<string, unknown> = {}) => {
    const res = await post('/api/v1/dossiers', intake(overrides), desk());
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json().dossierCode as string;
    const d = (await get(`/api/v1/dossiers/${code}`, desk())).json();
    return { code, agency: d.authorityAgencyCode as string, phone: (d.applicant.phone as string).slice(-4) };
  };
  return { post, get, upload, receive };
}
