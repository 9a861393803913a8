export { slaRoutes } from './routes.js';
export { runSlaSweep } from './sweep.js';
export { proposedAppointment } from './proposal.js';
