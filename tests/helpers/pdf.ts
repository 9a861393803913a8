/** The text of each page of a PDF as a reader extracts it (pdfjs), diacritics included (NFC). */
export async function pdfPages(bytes: Buffer): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' ').normalize('NFC'));
  }
  return pages;
}

/** The text of a PDF as a reader extracts it (pdfjs), to check what prints, diacritics included (NFC). */
export async function pdfText(bytes: Buffer): Promise<string> {
  return (await pdfPages(bytes)).map((p) => `${p}\n`).join('');
}
