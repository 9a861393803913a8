import type { Config } from '../../config.js';

export interface OutgoingMessage {
  id: number;
  channel: 'sms' | 'email' | 'zalo';
  recipient: string;
  body: string;
  dossierCode: string;
  kind: string;
}

/** What the gateway said of a message it was given. */
export interface SendResult {
  /** The gateway already had this message (same Idempotency-Key) and did not send it again. */
  alreadySent: boolean;
}

/**
 * Where messages go. One interface, adapters per gateway: `record` keeps the message in the notifications table
 * only (listed by GET /api/v1/notifications), `webhook` posts it to a gateway (SMS, e-mail, Zalo OA) that we do
 * not run. A thrown error makes the job retry with backoff. `resend` says an earlier attempt was cut off
 * mid-send: a gateway that keeps idempotency keys answers with its earlier result instead of sending twice.
 */
export interface Notifier {
  send(message: OutgoingMessage, opts?: { resend?: boolean }): Promise<SendResult | void>;
}

/** The gateway answered and refused the message: it was not sent (unlike a timeout, whose outcome is unknown). */
export class GatewayRefused extends Error {}

export const recordingNotifier: Notifier = { send: async () => undefined };

/**
 * Posts the message as JSON with `Idempotency-Key: notification-<id>` (the same on every attempt). A 2xx answer is
 * sent; one with `Idempotent-Replayed: true` (the header of the IETF idempotency-key draft and of common
 * payment APIs) or a JSON body `{"duplicate": true}` says the gateway had it already. Anything else is a failure
 * to retry (409 included: the draft's "a request with this key is still being processed").
 */
export function webhookNotifier(url: string, timeoutMs = 5000): Notifier {
  return {
    async send(message, opts) {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': `notification-${message.id}`,
          ...(opts?.resend ? { 'x-motcua-resend': 'true' } : {}),
        },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text().catch(() => '');
      if (!res.ok) throw new GatewayRefused(`gateway answered ${res.status}`);
      let duplicate = res.headers.get('idempotent-replayed')?.toLowerCase() === 'true';
      if (!duplicate && text.startsWith('{')) {
        try {
          duplicate = (JSON.parse(text) as { duplicate?: unknown }).duplicate === true;
        } catch {
          // Not JSON: the status alone counts.
        }
      }
      return { alreadySent: duplicate };
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
