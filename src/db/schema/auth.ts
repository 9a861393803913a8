import { date, index, jsonb, pgTable, serial, text, timestamptz, integer, uniqueIndex } from './pg.js';

export const roles = ['desk_officer', 'specialist', 'agency_head', 'unit_admin', 'province_admin', 'auditor'] as const;
export type Role = (typeof roles)[number];

/** Staff accounts; passwords are argon2id hashes (memory-hard). */
export const staffAccounts = pgTable('staff_accounts', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  fullName: text('full_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  disabledAt: timestamptz('disabled_at'),
  /**
   * Raised when the account's access must end for tokens already issued (disabled, enabled again, roles changed):
   * a token carries the version it was issued under and is refused once the account's is higher (AccessTokens).
   */
  tokenVersion: integer('token_version').notNull().default(0),
});

/** A role held over one scope: a unit (GSO code) or an agency code. */
export const staffRoles = pgTable(
  'staff_roles',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => staffAccounts.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roles }).notNull(),
    scopeKind: text('scope_kind', { enum: ['unit', 'agency'] }).notNull(),
    scopeCode: text('scope_code').notNull(),
    /**
     * The local date the role ends (exclusive; null: open): a restructuring ends roles over the units and agencies it
     * closes, and a reused GSO code must not carry a role over the old unit to the new one. The account stays.
     */
    endsOn: date('ends_on'),
  },
  (t) => [
    uniqueIndex('staff_roles_uq').on(t.accountId, t.role, t.scopeKind, t.scopeCode),
    index('staff_roles_account_idx').on(t.accountId),
  ],
);

/** Which reference data set (by content hash) is loaded, so a second start changes nothing. */
export const referenceDataLoads = pgTable('reference_data_loads', {
  dataset: text('dataset').primaryKey(),
  contentHash: text('content_hash').notNull(),
  loadedAt: timestamptz('loaded_at').notNull().defaultNow(),
  summary: jsonb('summary').notNull(),
});
