import { buildAgencies2025 } from './agencies-2025.js';
import { buildNationalProcedures, readNationalFile, type NationalFile } from './national.js';
import { relevelGenerated } from './relevel.js';
import type { AgencySeed, Catalogue, FieldSeed, ProcedureSeed } from './types.js';

export interface NewEraCatalogue {
  procedures: ProcedureSeed[];
  fields: FieldSeed[];
  agencies: (AgencySeed & { serves: string[] })[];
  /** Counts by source and level (seeds/README.md gives the arithmetic). */
  counts: {
    national: { province: number; commune: number; bothLevels: number };
    generated: { province: number; commune: number };
    generatedLeftOut: number;
    total: number;
  };
}

/**
 * The catalogue in force from 2025-07-01: the national catalogue's city and commune procedures, and the generated
 * ones of the ministries it lacks, re-levelled (seeds/README.md, "The catalogue from 2025-07-01"). No code is twice
 * in it (a version is in force once per code and day).
 */
export function buildNewEraCatalogue(generated: Catalogue, file: NationalFile = readNationalFile()): NewEraCatalogue {
  const national = buildNationalProcedures(file);
  const { procedures: relevelled, collisions } = relevelGenerated(generated.procedures, new Set(file.allCodes));
  const procedures = [...national.procedures, ...relevelled];
  const seen = new Set<string>();
  for (const p of procedures) {
    if (seen.has(p.code)) throw new Error(`catalogue: procedure ${p.code} twice in the catalogue of 2025-07-01`);
    seen.add(p.code);
  }
  const generatedFieldCodes = new Set(generated.fields.map((f) => f.code));
  const clash = national.fields.find((f) => generatedFieldCodes.has(f.code));
  if (clash) throw new Error(`catalogue: the national field code ${clash.code} is also a generated field's`);
  const count = (list: ProcedureSeed[], level: string) => list.filter((p) => p.level === level).length;
  return {
    procedures,
    fields: national.fields,
    agencies: buildAgencies2025(),
    counts: {
      national: {
        province: count(national.procedures, 'province'),
        commune: count(national.procedures, 'commune'),
        bothLevels: national.procedures.filter((p) => p.levels?.includes('province') && p.levels.includes('commune')).length,
      },
      generated: { province: count(relevelled, 'province'), commune: count(relevelled, 'commune') },
      generatedLeftOut: collisions.length,
      total: procedures.length,
    },
  };
}
