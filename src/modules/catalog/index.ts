export { procedureInForce, proceduresInForce, procedureVersion, versionInForce } from './queries.js';
export { ReferenceCache, type ProcedureEntry } from './reference-cache.js';
export { catalogRoutes } from './routes.js';
