import type { z } from 'zod';
import type { Context } from '../../../context.js';
import { localDateOf } from '../../../domain/calendar/index.js';
import { DomainError } from '../../../lib/errors.js';
import type { StaffActor } from '../../../domain/actor.js';
import { applyAct, type DossierRow } from './apply-act.js';
import { lineEventData, resultDesk, slipLine, writeLine } from './control-slip-line.js';
import { placeOf, stepOfReceiver } from '../access/process-position.js';
import { couldHold } from '../../../domain/dossier/who-may-act.js';
import { unitOfDesk } from '../../../domain/dossier/desk-code.js';
import { isProvinceUnit } from '../../../domain/province-level.js';
import { findAccountWithRoles } from '../../auth/index.js';
import type { handoffBody } from '../http/schemas.js';

/**
 * Hands a dossier to the next unit, role or person (DOMAIN.md §4: desk → agency → specialist → head → desk).
 * The dossier moves to the step of its process the receiver performs (stepOfReceiver): on, back, or the same step
 * for a reassignment within it, whose allotted time then goes on running. The step the giver held gets its
 * control-slip line (Mẫu 05; control-slip-line.ts).
 */
export async function handOff(ctx: Context<'db' | 'now' | 'config' | 'provinceLevel' | 'reference' | 'calendar'>, input: { code: string } & z.infer<typeof handoffBody>) {
  const { code, ...body } = input;
  return applyAct(
    ctx,
    { code, act: 'handoff', expectedVersion: body.expectedVersion },
    async (d, at) => {
      const day = localDateOf(at.getTime());
      // The receiver must exist: a typo must not move the dossier out of everyone's reach.
      if (body.toAgencyCode && !(await ctx.reference.holderExists(body.toAgencyCode, day))) {
        throw new DomainError('VALIDATION_FAILED', `body.toAgencyCode: no agency or desk ${body.toAgencyCode}`);
      }
      if (body.toAgencyCode) await mustReach(ctx, d, body.toAgencyCode, day);
      const receiverAgency = body.toUsername
        ? await personsAgency(ctx, d, body.toUsername, body.toAgencyCode, body.toRole ?? null, day)
        : (body.toAgencyCode ?? d.authorityAgencyCode);
      const role = body.toRole ?? null;
      const nextStep = await stepOfReceiver(ctx, d, { agencyCode: receiverAgency, role }, day);
      const toDesk = unitOfDesk(receiverAgency) !== null;
      const kind = toDesk && receiverAgency !== d.holderAgencyCode && receiverAgency !== resultDesk(d) ? 'transfer' : nextStep === d.currentStep ? 'reassignment' : 'handoff';
      const line = await slipLine(ctx, d, at, kind, { agencyCode: receiverAgency, role, username: body.toUsername ?? null }, body.note ?? null);
      return {
        changes: {
          currentStep: nextStep,
          holderAgencyCode: receiverAgency,
          holderRole: role,
          holderUsername: body.toUsername ?? null,
          // A new step starts its allotted time; a reassignment or a transfer within the step does not renew it.
          ...(nextStep !== d.currentStep ? { stepStartedAt: at } : {}),
        },
        eventData: lineEventData(line),
        write: (tx, dossier) => writeLine(tx, dossier.id, line),
      };
    },
  );
}

/**
 * A handoff to a person: an active account that could act on the step it receives (who-may-act.ts), so the dossier
 * is never handed to someone who cannot see or act on it, nor by a desk officer to themselves at an agency. Where
 * the body names no agency, the person's own: the agency holding the dossier now (a colleague), the deciding one,
 * then any agency or desk where they hold a role.
 */
async function personsAgency(ctx: Context<'db' | 'reference'>, d: DossierRow, username: string, toAgencyCode: string | undefined, role: string | null, day: string) {
  const named = await findAccountWithRoles(ctx.db, username, day);
  if (!named || named.account.disabledAt) throw new DomainError('VALIDATION_FAILED', `body.toUsername: no active staff account ${username}`);
  const person: StaffActor = { kind: 'staff', accountId: named.account.id, username, roles: named.roles };
  const desks = await Promise.all(
    named.roles.filter((r) => r.role === 'desk_officer' && r.scopeKind === 'unit').map((r) => ctx.reference.deskOfUnit(r.scopeCode, day)),
  );
  const candidates = toAgencyCode
    ? [toAgencyCode]
    : [d.holderAgencyCode, d.authorityAgencyCode, ...named.roles.filter((r) => r.scopeKind === 'agency').map((r) => r.scopeCode), ...desks.flatMap((k) => (k ? [k.code] : []))];
  let agency: string | undefined;
  for (const code of candidates) {
    // A role's scope may name an agency that no longer exists (closed by a restructuring): not a place to send to.
    if (couldHold(person, d, code, role) && (code === toAgencyCode || (await ctx.reference.holderExists(code, day)))) {
      agency = code;
      break;
    }
  }
  if (!agency) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `body.toUsername: ${username} holds no role ${role ? `${role} ` : ''}at ${toAgencyCode ?? 'an agency or desk this dossier can go to'}`,
    );
  }
  return agency;
}

/**
 * An agency a dossier of a district or commune may go to: its deciding agency, an agency of the province (a
 * department consulted), or one of the district (or, from 2025-07-01, the commune) that decides it. One of another district
 * could neither see it through its desk nor hand it back: the dossier would be out of its desk's reach. A dossier
 * of the province's centre may go to any agency; a desk (a location-independent transfer) is always a receiver.
 */
async function mustReach(ctx: Context<'reference' | 'provinceLevel'>, d: DossierRow, agencyCode: string, day: string) {
  const province = await ctx.provinceLevel(day);
  if (agencyCode === d.authorityAgencyCode || unitOfDesk(agencyCode) !== null || isProvinceUnit(d.unitCode, province)) return;
  const agency = await ctx.reference.agency(agencyCode, day);
  if (!agency || isProvinceUnit(agency.unitCode, province)) return;
  // The unit that decides (a location-independent dossier: the one named at intake, not the receiving one).
  const deciding = (await placeOf(ctx, d, day)).unitCode;
  const [theirs, ours] = await Promise.all([ctx.reference.districtOf(agency.unitCode, day), ctx.reference.districtOf(deciding, day)]);
  if (theirs !== ours) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `body.toAgencyCode: ${agencyCode} serves district ${theirs}; a dossier decided in unit ${deciding} goes to agencies of district ${ours} or of the province`,
    );
  }
}
