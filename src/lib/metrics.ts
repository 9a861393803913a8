import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (operations), in a registry of its own per process (tests build
 * several apps in one process). HTTP latency by route, job durations and failures by topic, the SLA sweep's
 * duration and flags; queue depths and the outbox backlog are read when scraped (src/modules/ops/metrics-routes.ts).
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'motcua_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'motcua_http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status class',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'motcua_job_duration_seconds',
      help: 'BullMQ job duration by topic and outcome',
      labelNames: ['topic', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers: [registry],
    }),
    jobFailures: new Counter({ name: 'motcua_job_failures_total', help: 'Failed job attempts by topic', labelNames: ['topic'] as const, registers: [registry] }),
    sweepDuration: new Histogram({
      name: 'motcua_sla_sweep_duration_seconds',
      help: 'Duration of the SLA sweep',
      buckets: [0.05, 0.1, 0.5, 1, 5, 30, 60, 180, 600],
      registers: [registry],
    }),
    sweepFlagged: new Counter({ name: 'motcua_sla_sweep_flagged_total', help: 'Dossiers flagged by the SLA sweep, by flag', labelNames: ['flag'] as const, registers: [registry] }),
    intakeGroupSize: new Histogram({
      name: 'motcua_intake_group_size',
      help: 'Intakes written together in one statement and commit (group commit, src/modules/dossiers/intake-writer.ts)',
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers: [registry],
    }),
    noticeResends: new Counter({
      name: 'motcua_notice_resends_total',
      help:
        'Messages sent again after an attempt cut off mid-send (a worker killed while the gateway had it), by what the gateway answered: ' +
        'already_sent (it had the message: no duplicate), sent (taken as new: a duplicate unless the first never arrived), failed',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    publicReads: new Counter({
      name: 'motcua_public_reads_total',
      help:
        "Public reads of the index and the report (src/modules/quality/read-cache.ts) by period (closed, open) and answer: kept (the answer kept was sent) or waited (the request waited for a computation: none kept, or an open one too far behind)",
      labelNames: ['period', 'answer'] as const,
      registers: [registry],
    }),
    queueJobs: new Gauge({ name: 'motcua_queue_jobs', help: 'Jobs in the queue by state', labelNames: ['state'] as const, registers: [registry] }),
    outboxBacklog: new Gauge({ name: 'motcua_outbox_unpublished', help: 'Outbox rows not yet relayed to the queue', registers: [registry] }),
    outboxUndone: new Gauge({
      name: 'motcua_outbox_undone',
      help: 'Outbox rows relayed longer than RECOVERY_GRACE_MS ago whose work is not done (a backlog, or work the recovery pass gave up on: see the failed jobs)',
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
