import type { z } from 'zod';
import type { Deps } from '../../deps.js';
import { checkCompetence, missingDocuments } from '../../domain/dossier/competence.js';
import { localDateOf } from '../../lib/local-date.js';
import { foldVietnamese } from '../../lib/text.js';
import { districtLevelAbolished, placeOfDecision } from '../dossiers/index.js';
import type { precheckBody, precheckView } from './schemas.js';

/**
 * Before a postal clerk submits anything: would this desk take this procedure by post (the intake's own
 * competence rule, with the operator's coverage; a commune centre of the two-level era takes the former district
 * procedures), and which required documents are missing (the intake's own
 * rule, names compared without case or diacritics)? Reads only; records nothing.
 */
export async function precheck(deps: Deps, body: z.infer<typeof precheckBody>): Promise<z.infer<typeof precheckView>> {
  const day = localDateOf(deps.now());
  const { procedure, fieldName } = await deps.reference.procedureOn(body.procedureCode, day);
  const desk = await deps.reference.desk(body.deskCode, day);
  const postalCovered = await deps.reference.postalCovers(desk.unitCode, procedure.fieldCode);
  // Nghị định 118/2025's list in force today, for the receiving commune (the precheck names no other).
  const { anywhere } = await placeOfDecision(deps, procedure, desk, day, undefined);
  const competence = checkCompetence({
    procedure: { ...procedure, fieldName },
    desk,
    channel: 'postal',
    locationIndependentDesks: await deps.reference.locationIndependentDesks(procedure.code),
    postalCovered,
    districtLevelAbolished: await districtLevelAbolished(deps.reference, desk, day),
    ...(anywhere ? { anywhere } : {}),
  });
  const missing = missingDocuments(procedure.documents, body.documents, foldVietnamese);
  const present = (name: string) => missingDocuments([{ name, required: true }], body.documents, foldVietnamese).length === 0;
  return {
    procedure: { code: procedure.code, name: procedure.name, fieldCode: procedure.fieldCode, fieldName },
    desk: { code: desk.code, name: desk.name },
    postalCovered,
    acceptable: competence.ok,
    refusalReason: competence.ok ? null : competence.reason,
    requiredDocuments: procedure.documents.map((d) => ({ name: d.name, originals: d.originals, copies: d.copies, required: d.required, present: present(d.name) })),
    missingDocuments: missing,
    readyToSubmit: competence.ok && missing.length === 0,
  };
}
