import { z } from 'zod';
import type { Config } from '../config.js';

/**
 * Every job the workers run: its topic (the BullMQ job name) and payload schema, in one typed map.
 * Outbox rows carry a topic from here; processors parse the payload before acting.
 */
export const topics = {
  /** A calendar administrator changed a day or working hours: re-project the open dossiers it moves. */
  'calendar.changed': z.object({ changeId: z.number().int(), date: z.string().nullable(), scope: z.string() }),
  /** A dossier changed state (received, handed off, paused, ended…): counters, notices and flags follow. */
  'dossier.changed': z.object({ dossierId: z.number().int(), code: z.string(), event: z.string() }),
  /** The SLA sweep, run by job schedulers every 5 minutes and nightly. */
  'sla.sweep': z.object({ full: z.boolean() }),
  /** The SLA sweep flagged dossiers (one row per sweep, with the counts; each flag is also a dossier event). */
  'sla.flagged': z.object({ at: z.string(), dueSoon: z.number().int(), overdue: z.number().int(), overdueWithoutApology: z.number().int(), lateAfterApology: z.number().int() }),
  /** The files' orphan sweep (objects no row refers to, abandoned spool files), hourly. */
  'files.sweep': z.object({}),
  /** Send one message to an applicant (retried with backoff, dead-lettered after the last attempt). */
  'notification.send': z.object({ id: z.number().int() }),
  /** Send one webhook to a postal partner (retried with backoff, dead-lettered; `round` counts manual replays). */
  'postal.webhook.send': z.object({ id: z.number().int(), round: z.number().int().min(0) }),
} as const;

export type Topic = keyof typeof topics;

/** Retries of a relayed job: webhooks to partners by their own settings, everything else 8 from 1 s. */
export function retryOf(topic: string, config: Config) {
  return topic === 'postal.webhook.send'
    ? { attempts: config.POSTAL_WEBHOOK_ATTEMPTS, backoff: { type: 'exponential', delay: config.POSTAL_WEBHOOK_BACKOFF_MS } }
    : { attempts: 8, backoff: { type: 'exponential', delay: 1000 } };
}
/**
 * What Redis keeps of a finished job (every queue, every job): a bounded recent history of completed jobs, and
 * failed jobs for an operator, bounded too (README "Configuration"; ages in seconds).
 */
export function keepOf(config: Config) {
  return {
    removeOnComplete: { count: config.JOBS_KEEP_COMPLETED, age: config.JOBS_KEEP_COMPLETED_SECONDS },
    removeOnFail: { count: config.JOBS_KEEP_FAILED, age: config.JOBS_KEEP_FAILED_SECONDS },
  };
}

export type Payload<T extends Topic> = z.infer<(typeof topics)[T]>;
export const QUEUE = 'motcua-events';
