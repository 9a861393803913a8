export { getDesk } from './queries.js';
export { orgRoutes } from './routes.js';
export { level } from './schemas.js';
