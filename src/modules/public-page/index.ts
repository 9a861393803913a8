export { publicPageRoutes } from './routes.js';
