export { getDesk } from './queries.js';
export { orgRoutes } from './routes.js';
export { level } from './schemas.js';
export { closedProvinceOf, isProvinceUnit, isProvinceWide, type ProvinceLevel } from '../../domain/province-level.js';
