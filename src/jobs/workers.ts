import { Queue, Worker, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import { processCalendarChanged } from '../modules/calendar/index.js';
import { processDossierChanged } from '../modules/quality/index.js';
import { runSlaSweep } from '../modules/sla/index.js';
import { countNewEvents, storeClosedPeriods } from '../modules/quality/index.js';
import { reconcileDeliveries } from '../modules/postal/index.js';
import { bullConnection } from './connection.js';
import { startRelay } from './outbox-relay.js';
import { markOutboxDone, recoverLostWork, ensureSchedulers } from './recovery.js';
import { keepOf, QUEUE, topics, type Payload, type Topic } from './topics.js';
import { createNotices } from '../modules/notices/index.js';
import { enqueueNotice, requeuePendingNotices } from '../modules/notices/index.js';
import { notifierFrom, type Notifier } from '../modules/notices/index.js';
import { deadLetter, sendNotice } from '../modules/notices/index.js';
import { deadLetterWebhook, deliverWebhook } from '../modules/postal/index.js';
import { sweepOrphanFiles } from '../modules/documents/index.js';
import { contextOf } from '../context.js';

type Processor = (deps: Deps, payload: never, job: Job) => Promise<unknown>;

/** Topic → processor. Processors are idempotent: a job delivered twice has its effect once. */
function processorsFor(deps: Deps, queue: Queue, notifier: Notifier): Record<Topic, Processor> {
  return {
    'calendar.changed': processCalendarChanged as Processor,
    'dossier.changed': (async (_deps: Deps, payload: Payload<'dossier.changed'>) => {
      await processDossierChanged(deps, payload);
      // Messages to the applicant; the send job waits until the message may go (working hours).
      for (const n of await createNotices(deps, payload.dossierId, payload.event)) await enqueueNotice(deps, queue, n);
    }) as Processor,
    // Flags change no measure of the index and send no message; the job is where a later consumer of flags
    // would hang, and it logs what the sweep did.
    'sla.flagged': (async (_deps: Deps, payload: Payload<'sla.flagged'>) => {
      deps.logger.info(payload, 'SLA flags set');
      return payload;
    }) as Processor,
    'sla.sweep': (async () => {
      const result = await runSlaSweep(deps);
      // The sweep's flags are events too; and what a Redis that lost its data took with it is made good here:
      // events not counted, messages whose send job vanished; and a postal delivery whose return act was cut off.
      await countNewEvents(deps);
      await requeuePendingNotices(deps, queue);
      await reconcileDeliveries(deps);
      // The index's closed periods that late events made stale, and the month just ended, scored here rather than
      // by the API process while its readers wait. A failure leaves them to the first reader: logged, not fatal.
      await storeClosedPeriods(deps, deps.now()).catch((err: unknown) => deps.logger.warn({ err }, 'storing closed index periods failed'));
      deps.logger.info(result, 'SLA sweep');
      return result;
    }) as Processor,
    'files.sweep': (async () => {
      const result = await sweepOrphanFiles(contextOf(deps, { kind: 'system', job: 'files-sweep' }));
      deps.logger.info(result, 'files orphan sweep');
      return result;
    }) as Processor,
    'notification.send': (async (_deps: Deps, payload: Payload<'notification.send'>) => sendNotice(deps, notifier, payload.id)) as Processor,
    'postal.webhook.send': (async (_deps: Deps, payload: Payload<'postal.webhook.send'>) => deliverWebhook(deps, payload.id)) as Processor,
  };
}

export interface Workers {
  queue: Queue;
  close(): Promise<void>;
}

export async function startWorkers(deps: Deps, notifier: Notifier = notifierFrom(deps.config)): Promise<Workers> {
  const connection = bullConnection(deps.config.REDIS_URL);
  // The key prefix keeps deployments (and test files) sharing a Redis apart.
  const prefix = deps.config.REDIS_KEY_PREFIX;
  // Every job added through this queue is removed when finished, within bounds (keepOf): Redis does not grow.
  const queue = new Queue(QUEUE, { connection, prefix, defaultJobOptions: keepOf(deps.config) });
  // Without a listener BullMQ writes connection errors to the console; they go to the log instead.
  queue.on('error', (err) => deps.logger.warn({ err: err.message }, 'queue connection error'));
  const processors = processorsFor(deps, queue, notifier);
  const worker = new Worker(
    QUEUE,
    async (job) => {
      const topic = job.name as Topic;
      const schema = topics[topic];
      if (!schema) throw new Error(`unknown job topic ${job.name}`);
      const end = deps.metrics.jobDuration.startTimer({ topic });
      try {
        const result = await processors[topic](deps, schema.parse(job.data) as never, job);
        // The outbox row this job carried is done: the recovery pass will not relay it again.
        await markOutboxDone(deps, job.id);
        end({ outcome: 'completed' });
        return result;
      } catch (err) {
        end({ outcome: 'failed' });
        deps.metrics.jobFailures.inc({ topic });
        throw err;
      }
    },
    {
      connection,
      concurrency: 4,
      prefix,
      lockDuration: deps.config.JOB_LOCK_MS,
      stalledInterval: deps.config.JOB_LOCK_MS,
      // A job whose worker died is run again; BullMQ's default fails it the second time, so a job caught by two
      // worker deaths in a row (two SIGKILLs under load) ended failed with its work undone. Processors are
      // idempotent: three stalls are allowed (and the recovery pass revives a job failed anyway).
      maxStalledCount: 3,
      // Also for jobs added without the options (by an older version, or by hand).
      ...keepOf(deps.config),
    },
  );
  worker.on('error', (err) => deps.logger.warn({ err: err.message }, 'worker error'));
  worker.on('failed', (job, err) => {
    deps.logger.warn({ jobId: job?.id, topic: job?.name, err: err.message }, 'job failed');
    // The last attempt of a message: dead letter, for a person to handle.
    if (job?.name === 'notification.send' && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      void deadLetter(deps, (job.data as { id: number }).id, err.message).catch(() => undefined);
    }
    if (job?.name === 'postal.webhook.send' && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      void deadLetterWebhook(deps, (job.data as { id: number }).id, err.message).catch(() => undefined);
    }
  });
  // Schedulers live in Redis under fixed ids: every worker process upserts the same two, so they run once each
  // time whatever the number of workers (BullMQ job schedulers; time zone of the province). Upserted again (with
  // the options of this version) at start; the recovery pass re-creates them whenever they are missing.
  await ensureSchedulers(deps, queue, { force: true });
  const stopRelay = startRelay(deps, queue);
  const stopRecovery = await startRecovery(deps, queue);
  return {
    queue,
    async close() {
      await stopRecovery();
      await stopRelay();
      await worker.close(); // waits for active jobs to finish
      await queue.close();
    },
  };
}

/**
 * Runs the recovery pass (src/jobs/recovery.ts) every RECOVERY_INTERVAL_MS, and at once, without grace, each time
 * the queue's Redis connection is ready again (Redis restarted, perhaps empty). Passes never overlap; a failed
 * pass (PostgreSQL or Redis down) is logged and the next one tries again. Returns a stop function.
 */
async function startRecovery(deps: Deps, queue: Queue): Promise<() => Promise<void>> {
  let running: Promise<unknown> | null = null;
  let again: { afterReconnect: boolean } | null = null;
  let stopped = false;
  const run = (opts: { afterReconnect: boolean }) => {
    if (stopped) return;
    if (running) {
      again = { afterReconnect: opts.afterReconnect || (again?.afterReconnect ?? false) };
      return;
    }
    running = recoverLostWork(deps, queue, opts)
      .then((r) => {
        if (r.schedulers.length || r.republished || r.requeuedNotices || opts.afterReconnect) deps.logger.info({ ...r, ...opts }, 'recovery pass');
      })
      .catch((err) => deps.logger.warn({ err: (err as Error).message }, 'recovery pass failed; the next one retries'))
      .finally(() => {
        running = null;
        const next = again;
        again = null;
        if (next) run(next);
      });
  };
  const timer = setInterval(() => run({ afterReconnect: false }), deps.config.RECOVERY_INTERVAL_MS);
  timer.unref();
  const client = await queue.client;
  // The first 'ready' came before this listener: each one from now on is a reconnection.
  const onReady = () => run({ afterReconnect: true });
  client.on('ready', onReady);
  return async () => {
    stopped = true;
    clearInterval(timer);
    client.off('ready', onReady);
    await running;
  };
}
