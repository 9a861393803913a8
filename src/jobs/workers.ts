import { Queue, Worker, type Job } from 'bullmq';
import type { Deps } from '../deps.js';
import { processCalendarChanged } from '../modules/calendar/jobs.js';
import { processDossierChanged } from '../modules/dossiers/jobs.js';
import { runSlaSweep } from '../modules/sla/sweep.js';
import { startRelay } from './outbox-relay.js';
import { QUEUE, topics, type Topic } from './topics.js';

type Processor = (deps: Deps, payload: never, job: Job) => Promise<unknown>;

/** Topic → processor. Processors are idempotent: a job delivered twice has its effect once. */
const processors: Record<Topic, Processor> = {
  'calendar.changed': processCalendarChanged as Processor,
  'dossier.changed': processDossierChanged as Processor,
  'sla.sweep': (async (deps: Deps) => {
    const result = await runSlaSweep(deps);
    deps.logger.info(result, 'SLA sweep');
    return result;
  }) as Processor,
};

export interface Workers {
  queue: Queue;
  close(): Promise<void>;
}

export async function startWorkers(deps: Deps): Promise<Workers> {
  const connection = { url: deps.config.REDIS_URL, maxRetriesPerRequest: null };
  // The key prefix keeps deployments (and test files) sharing a Redis apart.
  const prefix = deps.config.REDIS_KEY_PREFIX;
  const queue = new Queue(QUEUE, { connection, prefix });
  const worker = new Worker(
    QUEUE,
    async (job) => {
      const topic = job.name as Topic;
      const schema = topics[topic];
      if (!schema) throw new Error(`unknown job topic ${job.name}`);
      return processors[topic](deps, schema.parse(job.data) as never, job);
    },
    { connection, concurrency: 4, prefix },
  );
  worker.on('failed', (job, err) => deps.logger.warn({ jobId: job?.id, topic: job?.name, err: err.message }, 'job failed'));
  // Schedulers live in Redis under fixed ids: every worker process upserts the same two, so they run once each
  // time whatever the number of workers (BullMQ job schedulers; time zone of the province).
  await queue.upsertJobScheduler('sla-sweep', { pattern: '*/5 * * * *', tz: 'Asia/Ho_Chi_Minh' }, { name: 'sla.sweep', data: { full: false } });
  await queue.upsertJobScheduler('sla-sweep-nightly', { pattern: '30 0 * * *', tz: 'Asia/Ho_Chi_Minh' }, { name: 'sla.sweep', data: { full: true } });
  const stopRelay = startRelay(deps, queue);
  return {
    queue,
    async close() {
      await stopRelay();
      await worker.close(); // waits for active jobs to finish
      await queue.close();
    },
  };
}
