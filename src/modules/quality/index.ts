export { computeAll, computeIndex } from './compute-index.js';
export { countNewEvents, rebuildCounters } from './count-events.js';
export { processDossierChanged } from './on-dossier-changed.js';
export { monthsOf, parsePeriod } from './period.js';
export { qualityRoutes } from './routes.js';
export { ReadCache } from './read-cache.js';
export { storeClosedPeriods } from './store-closed-periods.js';
