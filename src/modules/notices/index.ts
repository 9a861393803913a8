export { createNotices } from './create-notices.js';
export { enqueueNotice, requeuePendingNotices } from './enqueue-notice.js';
export { notifierFrom, recordingNotifier, webhookNotifier } from './notifier.js';
export type { Notifier } from './notifier.js';
export { noticeRoutes } from './routes.js';
export { deadLetter, sendNotice } from './send-notice.js';
