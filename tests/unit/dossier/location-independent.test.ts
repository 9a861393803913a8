import { describe, expect, it } from 'vitest';
import type { StaffActor } from '../../../src/domain/actor.js';
import { checkCompetence, type CompetenceFacts } from '../../../src/domain/dossier/competence.js';
import { isListed, listInForce } from '../../../src/domain/dossier/location-independent.js';
import { paperEnds, paperSendableIn, worksAt } from '../../../src/domain/dossier/paper-transfer.js';
import type { ProvinceLevel } from '../../../src/domain/province-level.js';
import { actsOf, returnUnitOf, type DossierPosition } from '../../../src/domain/dossier/who-may-act.js';

const actor = (username: string, ...roles: [string, 'unit' | 'agency', string][]): StaffActor => ({
  kind: 'staff',
  accountId: 1,
  username,
  roles: roles.map(([role, scopeKind, scopeCode]) => ({ role, scopeKind, scopeCode })),
});

describe("the city's list of procedures received anywhere (Nghị định 118/2025)", () => {
  const v1 = { id: 1, validFrom: '2025-07-01', validTo: '2026-12-03', basis: 'mặc định', allCityLevel: true, procedureCodes: new Set(['3.000001']) };
  const v2 = { id: 2, validFrom: '2026-12-03', validTo: null, basis: 'QĐ 999', allCityLevel: false, procedureCodes: new Set(['3.000002']) };

  it('is the version that started last on or before the day', () => {
    expect(listInForce([v2, v1], '2025-06-30')).toBeNull();
    expect(listInForce([v2, v1], '2025-07-01')?.id).toBe(1);
    expect(listInForce([v2, v1], '2026-12-02')?.id).toBe(1);
    expect(listInForce([v2, v1], '2026-12-03')?.id).toBe(2);
  });

  it('takes in every city-level procedure when it says so, and the procedures it names', () => {
    expect(isListed(v1, { code: '1.000009', level: 'province' })).toBe(true);
    expect(isListed(v2, { code: '1.000009', level: 'province' })).toBe(false);
    expect(isListed(v1, { code: '3.000001', level: 'commune' })).toBe(true);
    expect(isListed(v1, { code: '3.000002', level: 'commune' })).toBe(false);
  });

  const facts = (anywhere: CompetenceFacts['anywhere'], deskCode = 'TX20410'): CompetenceFacts => ({
    procedure: { code: '3.000002', level: 'commune', locationIndependent: false, postalEligible: true, onlineLevel: 'full', fieldName: 'Đất đai' },
    locationIndependentDesks: new Set(),
    desk: { code: deskCode, level: 'commune', unitCode: deskCode.slice(2), name: 'Trung tâm Phục vụ hành chính công Phường Hội An' },
    channel: 'desk',
    postalCovered: false,
    ...(anywhere ? { anywhere } : {}),
  });
  const list = { validFrom: '2025-07-01', basis: 'Quyết định 1/QĐ-UBND' };
  const hai = { code: 'TX20242', name: 'Trung tâm Phục vụ hành chính công Phường Hải Châu' };

  it("receives at the procedure's own desk, or anywhere when listed; refuses elsewhere naming the rule and the desk", () => {
    expect(checkCompetence(facts({ ownDesk: { code: 'TX20410', name: 'x' }, listed: false, list }))).toEqual({ ok: true });
    expect(checkCompetence(facts({ ownDesk: hai, listed: true, list }))).toEqual({ ok: true });
    const refused = checkCompetence(facts({ ownDesk: hai, listed: false, list }));
    expect(refused).toMatchObject({ ok: false, rule: 'location_independent_list' });
    expect(refused.ok === false && refused.reason).toMatch(/Nghị định 118\/2025\/NĐ-CP; danh mục áp dụng từ ngày 01\/07\/2025, Quyết định 1\/QĐ-UBND\); .* hồ sơ nộp tại Trung tâm Phục vụ hành chính công Phường Hải Châu\.$/);
    // Before any list (the 2021-2025 pilot) the level rule stands.
    expect(checkCompetence(facts(undefined))).toEqual({ ok: true });
    expect(checkCompetence({ ...facts(undefined), desk: { code: 'H502', level: 'district', unitCode: '502', name: 'H' } })).toMatchObject({ ok: false, rule: 'level' });
  });
});

const CITY: ProvinceLevel = { day: '2026-12-01', inForce: '48', closed: [] };

describe('the desk that returns the result and the paper trail', () => {
  const d: DossierPosition = {
    code: 'TX20410-261201-0001', unitCode: '20410', authorityAgencyCode: 'UBND-TX20242', holderAgencyCode: 'UBND-TX20242', holderRole: null, holderUsername: null,
    currentStep: 4, decidingStep: 3, decidingRole: 'agency_head', resultDelivery: { deskCode: 'TX20341' },
  };
  it('is the chosen desk: its officers return the result, the receiving desk keeps supplements and withdrawals', () => {
    expect(returnUnitOf(d)).toBe('20341');
    expect(returnUnitOf({ unitCode: '502' })).toBe('502');
    expect(actsOf(actor('tk', ['desk_officer', 'unit', '20341']), d, CITY)).toEqual(['return_result']);
    expect(actsOf(actor('ha', ['desk_officer', 'unit', '20410']), d, CITY)).toEqual(['receive_supplement', 'withdraw']);
  });
  it('carries the papers from the receiving desk to the deciding agency, and the result from it to the returning desk', () => {
    const placed = { status: 'in_processing' as const, deskCode: 'TX20410', authorityAgencyCode: 'UBND-TX20242', resultDelivery: { deskCode: 'TX20341' } };
    expect(paperEnds('dossier', placed)).toEqual({ from: 'TX20410', to: 'UBND-TX20242' });
    expect(paperEnds('result', placed)).toEqual({ from: 'UBND-TX20242', to: 'TX20341' });
    expect(paperSendableIn.result).toEqual(['processed']);
    expect(worksAt(actor('a', ['desk_officer', 'unit', '20410']), 'TX20410')).toBe(true);
    expect(worksAt(actor('a', ['unit_admin', 'unit', '20410']), 'TX20410')).toBe(false);
    expect(worksAt(actor('a', ['specialist', 'agency', 'UBND-TX20242']), 'UBND-TX20242')).toBe(true);
    expect(worksAt(actor('a', ['auditor', 'agency', 'UBND-TX20242']), 'UBND-TX20242')).toBe(false);
  });
});
