import { z } from 'zod';

/**
 * Every job the workers run: its topic (the BullMQ job name) and payload schema, in one typed map.
 * Outbox rows carry a topic from here; processors parse the payload before acting.
 */
export const topics = {
  /** A calendar administrator changed a day or working hours: re-project the open dossiers it moves. */
  'calendar.changed': z.object({ changeId: z.number().int(), date: z.string().nullable(), scope: z.string() }),
  /** A dossier changed state (received, handed off, paused, ended…): counters, notices and flags follow. */
  'dossier.changed': z.object({ dossierId: z.number().int(), code: z.string(), event: z.string() }),
  /** The SLA sweep, run by job schedulers every 5 minutes and nightly (issue #5). */
  'sla.sweep': z.object({ full: z.boolean() }),
  /** Send one message to an applicant (retried with backoff, dead-lettered after the last attempt). */
  'notification.send': z.object({ id: z.number().int() }),
} as const;

export type Topic = keyof typeof topics;
export type Payload<T extends Topic> = z.infer<(typeof topics)[T]>;
export const QUEUE = 'motcua-events';
