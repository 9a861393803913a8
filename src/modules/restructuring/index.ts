/**
 * Restructuring: the transition of open dossiers when the organisation changes (DOMAIN.md §2a). Made as a plan that
 * an administrator reviews and amends, then applied, idempotently and in resumable batches.
 */
export { restructuringRoutes } from './routes.js';
export { createPlan, orgSnapshot, type PlanInput } from './plan.js';
export { applyPlan, type ApplyOptions, type ApplyResult } from './apply.js';
export { amendItem, type AmendInput } from './amend.js';
export { planCsv, planView } from './views.js';
export { acrossOf, attributedUnit, boundaryWithin, membersAcross, withPredecessors, type Across, type Boundary } from './history.js';
