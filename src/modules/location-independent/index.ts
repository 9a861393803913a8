export { LocationIndependentLists } from './list-cache.js';
export { locationIndependentRoutes } from './routes.js';
