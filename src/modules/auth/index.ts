export { AccessTokens } from './access-tokens.js';
export { AccountStatuses } from './account-statuses.js';
export { createAccount, disableAccount, enableAccount, findAccountWithRoles, setAccountRoles, setPassword } from './accounts.js';
export { registerAuth, requirePrincipal, requireProvinceRole, requireRole } from './authenticate.js';
export { PASSWORD_MIN_LENGTH } from './password.js';
export { authRoutes } from './routes.js';
export { StaffNames } from './staff-names.js';
export { issueToken } from './tokens.js';
export type { Principal } from './tokens.js';
