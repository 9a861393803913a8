export { delegationRoutes } from './routes.js';
