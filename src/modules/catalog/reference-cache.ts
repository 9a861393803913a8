import { asc, eq } from 'drizzle-orm';
import { provinceLevelOf, type ProvinceLevel } from '../../domain/province-level.js';
import type { Db } from '../../db/client.js';
import {
  agencies,
  delegationDecisions,
  delegationProcedures,
  desks,
  fields,
  postalCoverage,
  procedures,
  locationIndependentDesks,
  procedureSteps,
  referenceRevision,
  type AgencyRow,
  type DeskRow,
  units,
  type ProcedureRow,
  type UnitRow,
} from '../../db/schema/index.js';
import type { Decision } from '../../domain/delegation/decisions.js';
import { DomainError } from '../../lib/errors.js';

type Step = typeof procedureSteps.$inferSelect;
export interface DecisionRef extends Decision {
  procedureCode: string;
}
export interface ProcedureEntry {
  procedure: ProcedureRow;
  fieldName: string;
  steps: Step[];
}

const validOn = (r: { validFrom: string; validTo: string | null }, day: string) => r.validFrom <= day && (r.validTo === null || r.validTo > day);

/**
 * The reference data the intake path reads on every request (procedures with their steps, desks, agencies,
 * postal coverage, delegation decisions), held in memory for `ttlMs` so an intake does not spend a dozen round trips on data that
 * changes a few times a year. It is loaded at start-up and only changes through the loaders; a process that
 * changes it calls `invalidate()`, others see the change within `ttlMs`. Deadlines are NOT cached here: the
 * calendar has its own revision check (CalendarService).
 */
export class ReferenceCache {
  private procedures = new Map<number, { at: number; entry: ProcedureEntry }>();
  private versions = new Map<string, { at: number; rows: { id: number; validFrom: string; validTo: string | null }[] }>();
  private org: {
    at: number;
    desks: DeskRow[];
    agencies: AgencyRow[];
    postal: (typeof postalCoverage.$inferSelect)[];
    decisions: Map<string, DecisionRef[]>;
    units: UnitRow[];
    liDesks: Map<string, Set<string>>;
  } | null = null;
  private loadingOrg: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 60_000,
  ) {}

  invalidate() {
    this.procedures.clear();
    this.versions.clear();
    this.org = null;
  }

  /** A procedure version by id: what a dossier keeps (its process, time and documents as received). */
  async procedureVersion(id: number): Promise<ProcedureEntry> {
    const hit = this.procedures.get(id);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.entry;
    const [procedure] = await this.db.select().from(procedures).where(eq(procedures.id, id));
    if (!procedure) throw new DomainError('PROCEDURE_NOT_FOUND', `Procedure version ${id} is not in the catalogue`);
    const [[field], steps] = await Promise.all([
      this.db.select().from(fields).where(eq(fields.code, procedure.fieldCode)),
      this.db.select().from(procedureSteps).where(eq(procedureSteps.procedureId, id)).orderBy(asc(procedureSteps.stepOrder)),
    ]);
    const entry = { procedure, fieldName: field?.name ?? procedure.fieldCode, steps };
    this.procedures.set(id, { at: Date.now(), entry });
    return entry;
  }

  /** The version of `code` in force on a local date (what an intake that day is received under), or 404. */
  async procedureOn(code: string, day: string): Promise<ProcedureEntry> {
    let hit = this.versions.get(code);
    if (!hit || Date.now() - hit.at >= this.ttlMs) {
      const rows = await this.db
        .select({ id: procedures.id, validFrom: procedures.validFrom, validTo: procedures.validTo })
        .from(procedures)
        .where(eq(procedures.code, code));
      hit = { at: Date.now(), rows };
      this.versions.set(code, hit);
    }
    const version = hit.rows.find((r) => validOn(r, day));
    if (!version) throw new DomainError('PROCEDURE_NOT_FOUND', `Procedure ${code} has no version in force on ${day}`);
    return this.procedureVersion(version.id);
  }

  private revision = -1;
  private checkedAt = 0;

  private async organisation() {
    // Decisions change through the API: at most once a second, compare the shared revision.
    if (this.org && Date.now() - this.checkedAt > 1000) {
      this.checkedAt = Date.now();
      const [row] = await this.db.select({ revision: referenceRevision.revision }).from(referenceRevision);
      if ((row?.revision ?? 0) !== this.revision) this.org = null;
    }
    if (this.org && Date.now() - this.org.at < this.ttlMs) return this.org;
    this.loadingOrg ??= (async () => {
      const [rev] = await this.db.select({ revision: referenceRevision.revision }).from(referenceRevision);
      const [d, a, p, links, u, li] = await Promise.all([
        this.db.select().from(desks),
        this.db.select().from(agencies),
        this.db.select().from(postalCoverage),
        this.db
          .select({
            procedureCode: delegationProcedures.procedureCode,
            number: delegationDecisions.number,
            id: delegationDecisions.id,
            kind: delegationDecisions.kind,
            delegator: delegationDecisions.delegator,
            delegatorUnitCode: delegationDecisions.delegatorUnitCode,
            delegate: delegationDecisions.delegateAgencyCode,
            effectiveFrom: delegationDecisions.effectiveFrom,
            effectiveTo: delegationDecisions.effectiveTo,
            revokedOn: delegationDecisions.revokedOn,
          })
          .from(delegationProcedures)
          .innerJoin(delegationDecisions, eq(delegationDecisions.id, delegationProcedures.decisionId))
          .orderBy(asc(delegationDecisions.effectiveFrom)),
        this.db.select().from(units),
        this.db.select().from(locationIndependentDesks),
      ]);
      const liDesks = new Map<string, Set<string>>();
      for (const r of li) liDesks.set(r.procedureCode, (liDesks.get(r.procedureCode) ?? new Set()).add(r.deskCode));
      const decisions = new Map<string, DecisionRef[]>();
      for (const l of links) decisions.set(l.procedureCode, [...(decisions.get(l.procedureCode) ?? []), l]);
      this.org = { at: Date.now(), desks: d, agencies: a, postal: p, decisions, units: u, liDesks };
      this.revision = rev?.revision ?? 0;
      this.checkedAt = Date.now();
    })().finally(() => {
      this.loadingOrg = null;
    });
    await this.loadingOrg;
    return this.org!;
  }

  /** The desk with this code on a local date, or 404. */
  async desk(code: string, day: string): Promise<DeskRow> {
    const desk = (await this.organisation()).desks.find((d) => d.code === code && validOn(d, day));
    if (!desk) throw new DomainError('DESK_NOT_FOUND', `Desk ${code} does not exist on ${day}`);
    return desk;
  }

  /** The desk of a unit on a date (each unit has one). */
  async deskOfUnit(unitCode: string, day: string): Promise<DeskRow | undefined> {
    return (await this.organisation()).desks.find((d) => d.unitCode === unitCode && validOn(d, day));
  }

  /** An agency or a desk valid on a date: what a dossier may be handed to. */
  async holderExists(code: string, day: string): Promise<boolean> {
    const org = await this.organisation();
    return org.agencies.some((a) => a.code === code && validOn(a, day)) || org.desks.some((d) => d.code === code && validOn(d, day));
  }

  async agencyExists(code: string): Promise<boolean> {
    return (await this.organisation()).agencies.some((a) => a.code === code);
  }

  /**
   * The concrete agency of a template (DIST-TNMT, COMM-UBND) or of an agency code of an earlier organisation serving a
   * unit on a date: the agency of that template, or one that answers for it (`serves`: a 2025 commune office for the
   * district offices' templates, a merged city department for the Quảng Nam departments it absorbed).
   */
  async agencyByTemplate(template: string, unitCode: string, day: string): Promise<string | undefined> {
    const all = (await this.organisation()).agencies.filter((a) => a.unitCode === unitCode && validOn(a, day));
    return (all.find((a) => a.templateCode === template) ?? all.find((a) => a.serves.includes(template)))?.code;
  }

  private unitOn(units: UnitRow[], unitCode: string, day: string) {
    const u = units.find((x) => x.code === unitCode && validOn(x, day));
    if (!u) throw new DomainError('UNIT_NOT_FOUND', `Unit ${unitCode} does not exist on ${day}`);
    return u;
  }

  /**
   * The district a unit belongs to on a date (itself for a district or the province, its parent for a commune). Under
   * two-level local government (from 2025-07-01) a commune sits directly under the province and takes over the
   * district's procedures: it is its own "district".
   */
  async districtOf(unitCode: string, day: string): Promise<string> {
    const units = (await this.organisation()).units;
    const u = this.unitOn(units, unitCode, day);
    if (u.level !== 'commune' || !u.parentCode) return u.code;
    const parent = units.find((x) => x.code === u.parentCode && validOn(x, day));
    return parent?.level === 'province' ? u.code : u.parentCode;
  }

  /** The province-level unit a unit belongs to on a date ('49' Quảng Nam until 2025-06-30, '48' Đà Nẵng after). */
  async provinceOf(unitCode: string, day: string): Promise<string> {
    const units = (await this.organisation()).units;
    let u = this.unitOn(units, unitCode, day);
    for (let i = 0; i < 3 && u.level !== 'province' && u.parentCode; i++) u = this.unitOn(units, u.parentCode, day);
    return u.code;
  }

  /** The province-level units on a day (who is province-wide: src/domain/province-level.ts), from the cached units. */
  async provinceLevel(day: string): Promise<ProvinceLevel> {
    return provinceLevelOf((await this.organisation()).units, day);
  }

  /**
   * Every decision covering a procedure version, oldest first (in force or not: the caller asks for a day). A
   * decision names a code and covers the versions already open when it took effect (catalog/queries.ts).
   */
  async decisionsFor(procedure: { code: string; validFrom: string }): Promise<DecisionRef[]> {
    return ((await this.organisation()).decisions.get(procedure.code) ?? []).filter((d) => d.effectiveFrom >= procedure.validFrom);
  }

  /** Desks that may receive a location-independent procedure (empty for the others). */
  async locationIndependentDesks(procedureCode: string): Promise<Set<string>> {
    return (await this.organisation()).liDesks.get(procedureCode) ?? new Set();
  }

  /** An agency valid on a date, by code. */
  async agency(code: string, day: string): Promise<AgencyRow | undefined> {
    return (await this.organisation()).agencies.find((a) => a.code === code && validOn(a, day));
  }

  /** The postal operator covers a desk for a field when a field row says so, else the desk's all-fields row. */
  async postalCovers(unitCode: string, fieldCode: string): Promise<boolean> {
    const rows = (await this.organisation()).postal.filter((r) => r.deskUnitCode === unitCode);
    const specific = rows.find((r) => r.fieldCode === fieldCode);
    return (specific ?? rows.find((r) => r.fieldCode === null))?.covered ?? false;
  }
}
