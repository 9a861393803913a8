import type { Config } from '../../config.js';

export interface OutgoingMessage {
  id: number;
  channel: 'sms' | 'email' | 'zalo';
  recipient: string;
  body: string;
  dossierCode: string;
  kind: string;
}

/**
 * Where messages go. One interface, adapters per gateway: `record` keeps the message in the notifications table
 * only (listed by GET /api/v1/notifications), `webhook` posts it to a gateway (SMS, e-mail, Zalo OA) that we do
 * not run. A thrown error makes the job retry with backoff.
 */
export interface Notifier {
  send(message: OutgoingMessage): Promise<void>;
}

export const recordingNotifier: Notifier = { send: async () => undefined };

export function webhookNotifier(url: string, timeoutMs = 5000): Notifier {
  return {
    async send(message) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `notification-${message.id}` },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`gateway answered ${res.status}`);
    },
  };
}

export function notifierFrom(config: Config): Notifier {
  if (config.NOTIFIER === 'webhook') {
    if (!config.NOTIFY_WEBHOOK_URL) throw new Error('NOTIFY_WEBHOOK_URL: required when NOTIFIER=webhook');
    return webhookNotifier(config.NOTIFY_WEBHOOK_URL);
  }
  return recordingNotifier;
}
