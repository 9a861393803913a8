export * from './org.js';
export * from './calendar.js';
export * from './catalog.js';
export * from './auth.js';
export * from './outbox.js';
export * from './dossiers.js';
export * from './quality.js';
export * from './postal.js';
