export { deadLetterWebhook, deliverWebhook } from './deliver-webhook.js';
export { postalDossierEffects } from './dossier-effects.js';
export { reconcileDeliveries } from './reconcile-deliveries.js';
export { postalAdminRoutes, postalPartnerRoutes } from './routes.js';
export { decryptSecret, encryptSecret, newKey } from './secrets.js';
