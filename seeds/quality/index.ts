import { formulaDefinitionSchema } from '../../src/domain/quality/formula.js';
import formula766 from './formula-766-2023.1.json' with { type: 'json' };
import formula766files from './formula-766-2025.1.json' with { type: 'json' };

/**
 * The index formula versions shipped with motcua (DOMAIN.md §9). Validated here so that a bad edit fails at
 * load, not when a score is computed. Later versions are added by administrators through the API, or here; a
 * version shipped is never edited (scores name it), a change is a new file.
 */
export const qualityFormulaSeeds = [formula766, formula766files].map((f) => ({
  version: f.version,
  title: f.title,
  effectiveFrom: f.effectiveFrom,
  definition: formulaDefinitionSchema.parse(f.definition),
  createdBy: 'seed',
}));
