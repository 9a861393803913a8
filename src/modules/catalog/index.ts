export { findProcedure } from './queries.js';
export { ReferenceCache } from './reference-cache.js';
export { catalogRoutes } from './routes.js';
