import { describe, expect, it } from 'vitest';
import type { StaffActor } from '../../../src/domain/actor.js';
import { actsOf, couldHold, mayAct, type DossierPosition } from '../../../src/domain/dossier/who-may-act.js';
import type { ProvinceLevel } from '../../../src/domain/province-level.js';

const PROVINCE: ProvinceLevel = { day: '2024-06-01', inForce: '49', closed: [] };
const actor = (username: string, ...roles: [string, 'unit' | 'agency', string][]): StaffActor => ({
  kind: 'staff',
  accountId: 1,
  username,
  roles: roles.map(([role, scopeKind, scopeCode]) => ({ role, scopeKind, scopeCode })),
});
const atDesk: DossierPosition = { code: 'H502-250101-0001', unitCode: '502', authorityAgencyCode: '502-TP', holderAgencyCode: 'H502', holderRole: 'desk_officer', holderUsername: 'desk-a', currentStep: 1, decidingStep: 3, decidingRole: 'agency_head' };
// Steps: 1 desk, 2 specialist examines, 3 head signs (the deciding step), 4 desk returns.
const atSpecialist: DossierPosition = { ...atDesk, holderAgencyCode: '502-TP', holderRole: 'specialist', holderUsername: null, currentStep: 3 };

const deskA = actor('desk-a', ['desk_officer', 'unit', '502']);
const deskB = actor('desk-b', ['desk_officer', 'unit', '502']);
const otherDesk = actor('desk-c', ['desk_officer', 'unit', '503']);
const specialist = actor('cv', ['specialist', 'agency', '502-TP']);
const head = actor('ld', ['agency_head', 'agency', '502-TP']);
const unitAdmin = actor('qt', ['unit_admin', 'unit', '502']);
const provinceAdmin = actor('qtt', ['province_admin', 'unit', PROVINCE.inForce]);
const auditor = actor('tt', ['auditor', 'agency', '502-TP']);

describe('who may act on a dossier', () => {
  it('at the desk step: any desk officer of the receiving unit hands over; the agency waits; only heads stop', () => {
    // Deciding is not the desk's, even while it holds the dossier (a desk officer handing to themselves gains nothing).
    expect(actsOf(deskA, atDesk, PROVINCE)).toEqual(['handoff', 'request_supplement', 'receive_supplement', 'return_result', 'withdraw']);
    expect(mayAct('complete', deskA, { ...atDesk, holderRole: null }, PROVINCE)).toBe(false);
    expect(mayAct('handoff', deskB, atDesk, PROVINCE)).toBe(true); // a colleague at the same counter
    expect(mayAct('handoff', otherDesk, atDesk, PROVINCE)).toBe(false);
    expect(mayAct('handoff', specialist, atDesk, PROVINCE)).toBe(false);
    expect(mayAct('stop', deskA, atDesk, PROVINCE)).toBe(false);
    expect(mayAct('stop', head, atDesk, PROVINCE)).toBe(true); // the deciding agency's head
  });

  it("at the agency's step: its staff in the step's role decide; the desk receives supplements and returns", () => {
    // Even at the deciding step, a specialist holding it does not sign: the step's role (the head) does.
    expect(actsOf(specialist, atSpecialist, PROVINCE)).toEqual(['handoff', 'request_supplement', 'receive_supplement', 'withdraw']);
    expect(actsOf(deskA, atSpecialist, PROVINCE)).toEqual(['receive_supplement', 'return_result', 'withdraw']);
    expect(actsOf(head, atSpecialist, PROVINCE)).toEqual(['handoff', 'request_supplement', 'receive_supplement', 'complete', 'stop', 'withdraw']);
    expect(actsOf(unitAdmin, atSpecialist, PROVINCE)).toEqual(['handoff']);
    expect(actsOf(provinceAdmin, atSpecialist, PROVINCE)).toEqual(['handoff']);
    expect(actsOf(auditor, atSpecialist, PROVINCE)).toEqual([]);
  });

  it("a step held by the head's role or by a named person is theirs (and the head's)", () => {
    const atHead = { ...atSpecialist, holderRole: 'agency_head' };
    expect(mayAct('complete', specialist, atHead, PROVINCE)).toBe(false);
    expect(mayAct('complete', head, { ...atSpecialist, holderRole: 'leader' }, PROVINCE)).toBe(true); // the signer acts through a head account
    const named = { ...atSpecialist, holderUsername: 'cv-2' };
    expect(mayAct('complete', specialist, named, PROVINCE)).toBe(false);
    expect(mayAct('handoff', actor('cv-2', ['specialist', 'agency', '502-TP']), named, PROVINCE)).toBe(true);
    expect(mayAct('complete', actor('cv-2', ['specialist', 'agency', '502-TP']), named, PROVINCE)).toBe(false); // holds it, does not sign
    expect(mayAct('complete', actor('pho', ['agency_head', 'agency', '502-TP']), { ...named, holderUsername: 'pho' }, PROVINCE)).toBe(true);
    expect(mayAct('complete', head, named, PROVINCE)).toBe(true);
  });

  it("completing is for the deciding step's holder, or the deciding agency's head at any step", () => {
    const examining = { ...atSpecialist, currentStep: 2 };
    expect(mayAct('complete', specialist, examining, PROVINCE)).toBe(false);
    expect(actsOf(specialist, examining, PROVINCE)).toEqual(['handoff', 'request_supplement', 'receive_supplement', 'withdraw']);
    expect(mayAct('complete', head, examining, PROVINCE)).toBe(true); // heads the deciding agency
    // The holding agency's head, when another agency decides (a department examining for the People's Committee).
    const forTheCommittee = { ...examining, authorityAgencyCode: 'UBND-502', decidingStep: 4, decidingRole: 'leader' };
    expect(mayAct('complete', head, forTheCommittee, PROVINCE)).toBe(false);
    expect(mayAct('complete', head, { ...forTheCommittee, currentStep: 4 }, PROVINCE)).toBe(true);
    expect(mayAct('complete', actor('ct', ['agency_head', 'agency', 'UBND-502']), forTheCommittee, PROVINCE)).toBe(true);
    // Back at the desk after the deciding step: still never the desk's.
    expect(mayAct('complete', deskA, { ...atDesk, currentStep: 4 }, PROVINCE)).toBe(false);
  });

  it('a role over another agency or unit gives nothing', () => {
    const elsewhere = actor('x', ['specialist', 'agency', '503-TP'], ['agency_head', 'agency', '503-TP'], ['unit_admin', 'unit', '503']);
    expect(actsOf(elsewhere, atSpecialist, PROVINCE)).toEqual([]);
  });
});

describe('a dossier handed to another desk', () => {
  it("is that desk's to act on (its unit from its code), not the receiving desk's", () => {
    const atOtherDesk: DossierPosition = { ...atDesk, holderAgencyCode: 'H503', holderUsername: null };
    expect(mayAct('handoff', otherDesk, atOtherDesk, PROVINCE)).toBe(true);
    expect(mayAct('handoff', deskA, atOtherDesk, PROVINCE)).toBe(false);
    // Returning the result stays with the receiving unit's desk.
    expect(mayAct('return_result', deskA, atOtherDesk, PROVINCE)).toBe(true);
  });
});

describe('a handoff to a person', () => {
  it('goes only to someone who could act on the step received', () => {
    expect(couldHold(specialist, atDesk, '502-TP', 'specialist')).toBe(true);
    expect(couldHold(specialist, atDesk, '502-TP', 'agency_head')).toBe(false);
    expect(couldHold(head, atDesk, '502-TP', 'leader')).toBe(true);
    expect(couldHold(deskA, atDesk, '502-TP', null)).toBe(false); // not to themselves at the agency
    expect(couldHold(otherDesk, atDesk, 'H503', null)).toBe(true);
    expect(couldHold(auditor, atDesk, '502-TP', null)).toBe(false);
  });
});
