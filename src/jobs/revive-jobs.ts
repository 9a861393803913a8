import type { JobsOptions, Queue } from 'bullmq';

export interface JobToRevive {
  name: string;
  data: unknown;
  opts: JobsOptions & { jobId: string };
}

/**
 * Makes sure each of these jobs exists and will run: a job Redis no longer has (lost with its data, or removed)
 * is added again; one that ended without doing its work (failed: stalled too often, its attempts spent while
 * PostgreSQL was down; or completed, which a job whose work is not done cannot honestly be) is replaced by a new
 * one; a job waiting, delayed or running is left alone. The caller chose the jobs from what PostgreSQL says is
 * not done. Returns those added or replaced.
 */
export async function reviveJobs(queue: Queue, jobs: JobToRevive[]): Promise<JobToRevive[]> {
  if (jobs.length === 0) return [];
  const states = await Promise.all(jobs.map((j) => queue.getJobState(j.opts.jobId)));
  const revive = jobs.filter((_, i) => states[i] === 'unknown' || states[i] === 'failed' || states[i] === 'completed');
  const ended = jobs.filter((_, i) => states[i] === 'failed' || states[i] === 'completed');
  await Promise.all(ended.map((j) => queue.remove(j.opts.jobId)));
  if (revive.length > 0) await queue.addBulk(revive);
  return revive;
}
