/** Shapes of the generated reference catalogue (seeds/README.md says what is real and what is generated). */
export type Level = 'province' | 'district' | 'commune';
export type TimeUnit = 'working_day' | 'working_hour' | 'same_day' | 'calendar_day';
export type Authority =
  | 'agency'
  | 'ubnd_tinh'
  | 'chu_tich_ubnd_tinh'
  | 'ubnd_huyen'
  | 'chu_tich_ubnd_huyen'
  | 'ubnd_xa'
  | 'chu_tich_ubnd_xa'
  | 'police';

export interface AgencySeed {
  code: string;
  name: string;
  kind: 'people_committee' | 'chairman' | 'department' | 'board' | 'police' | 'district_office' | 'service_center' | 'vertical_sector';
  level: Level;
  /** GSO code of the unit it belongs to. */
  unitCode: string;
  parentCode: string | null;
  /** For district offices and committees: the template code the catalogue names (e.g. DIST-TNMT). */
  templateCode: string | null;
  /** Codes of earlier agencies and templates it answers for (2025 organisation). */
  serves?: string[];
  validFrom: string;
  validTo: string | null;
}

export interface FieldSeed {
  code: string;
  name: string;
}

export interface ProcedureStepSeed {
  order: number;
  name: string;
  performer: { kind: 'desk' | 'agency' | 'role'; agencyCode?: string; role?: string };
  /** Allotted working minutes (480 = one working day). */
  minutes: number;
}

export interface ProcedureSeed {
  code: string;
  /** The version's period, [validFrom, validTo) (validTo null: open). */
  validFrom: string;
  validTo: string | null;
  /** generated (this folder) or national_catalogue (data/tthc-city-commune.json). */
  source: 'generated' | 'national_catalogue';
  /** From the national catalogue only: every level it names, its texts and references. */
  levels?: string[];
  timeText?: string | null;
  timeNote?: 'bare_number' | 'months' | 'missing' | null;
  agencyText?: string | null;
  legalBasis?: string[];
  onlineSubmission?: boolean | null;
  publishingDecision?: string | null;
  sourceUrl?: string | null;
  name: string;
  fieldCode: string;
  level: Level;
  /** Implementing agency: a concrete code (provincial) or a template (DIST-…, COMM-UBND). */
  agencyCode: string;
  authority: Authority;
  processingTime: { amount: number; unit: TimeUnit };
  statutoryTime: { amount: number; unit: TimeUnit };
  timeCutPercent: number;
  sameDay: boolean;
  cutoffHour: string | null;
  supplementPolicy: 'pause' | 'restart';
  fees: { name: string; amountVnd: number | null; method?: 'direct' | 'online' | 'postal' }[];
  documents: { name: string; originals: number; copies: number; required: boolean; case?: string }[];
  onlineLevel: 'full' | 'partial' | 'none';
  onlineLevel4In2021: boolean;
  publishedOnNationalPortal: boolean;
  paperResult: boolean;
  locationIndependent: boolean;
  postalEligible: boolean;
  steps: ProcedureStepSeed[];
}

export interface DelegationDecisionSeed {
  number: string;
  signedOn: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  /** The authority giving its power; district sub-delegations name ubnd_huyen / chu_tich_ubnd_huyen. */
  delegator: 'ubnd_tinh' | 'chu_tich_ubnd_tinh' | 'ubnd_huyen' | 'chu_tich_ubnd_huyen';
  /** Where that authority is held: '49' or the district's GSO code. */
  delegatorUnitCode: string;
  issuer: string;
  delegateAgencyCode: string;
  kind: 'delegation' | 'decentralisation';
  procedureCodes: string[];
}

export interface PostalCoverageSeed {
  deskUnitCode: string;
  fieldCode: string | null;
  covered: boolean;
  status: 'covered' | 'in_progress' | 'not_covered';
  validFrom: string;
  note: string;
}

export interface Catalogue {
  /** Desks that may receive each location-independent procedure. */
  locationIndependentDesks: { procedureCode: string; deskCode: string }[];
  fields: FieldSeed[];
  agencies: AgencySeed[];
  procedures: ProcedureSeed[];
  delegations: DelegationDecisionSeed[];
  postalCoverage: PostalCoverageSeed[];
}
