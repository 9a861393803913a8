/**
 * Writes seeds/data/tthc-city-commune.json from the national TTHC catalogue (the shared data file named on the
 * command line): every procedure whose levels include the province (city) or the commune, with the fields the
 * catalogue seed reads, plus every code of the file (a generated code equal to one is not used). Run once by hand
 * when the source changes: `npx tsx scripts/extract-tthc-catalogue.ts ../shared/data/tthc-national-catalogue.json`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const [source] = process.argv.slice(2);
if (!source) throw new Error('usage: extract-tthc-catalogue.ts <tthc-national-catalogue.json>');
const file = JSON.parse(readFileSync(source, 'utf8')) as { source: unknown; notes: string[]; procedures: Record<string, unknown>[] };
const keep = ['code', 'name', 'level', 'levels', 'field', 'agency', 'authority', 'decision', 'publisher', 'url', 'methods', 'time', 'fees', 'online', 'postal', 'documents', 'legalBasis'];
const procedures = file.procedures
  .filter((p) => Array.isArray(p.levels) && (p.levels as string[]).some((l) => l === 'province' || l === 'commune'))
  .map((p) => Object.fromEntries(keep.filter((k) => k in p).map((k) => [k, k === 'methods' ? (p.methods as Record<string, unknown>[]).map(({ description: _d, ...m }) => m) : p[k]])));
const out = {
  source: file.source,
  extractedFrom: 'shared/data/tthc-national-catalogue.json (procedures whose levels include province or commune; fields listed in keptFields)',
  keptFields: keep,
  notes: file.notes,
  allCodes: file.procedures.map((p) => p.code as string).sort(),
  procedures,
};
writeFileSync(new URL('../seeds/data/tthc-city-commune.json', import.meta.url), JSON.stringify(out, null, 0) + '\n');
console.log(`${procedures.length} procedures of ${file.procedures.length}`);
