export { publicRoutes } from './routes.js';
