import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { bullConnection } from '../../src/jobs/connection.js';

const rejections: unknown[] = [];
const record = (reason: unknown) => void rejections.push(reason);
afterEach(() => {
  process.off('unhandledRejection', record);
  rejections.length = 0;
});

/** A BullMQ connection's ioredis client (private): its status tells when a connection attempt is in flight. */
const clientOf = (holder: unknown, connection: 'connection' | 'blockingConnection' = 'connection') =>
  (holder as Record<string, { _client: Redis }>)[connection]!._client;

/** Returns as soon as the client enters `status` for the `occurrence`th time, while it is still in it. */
async function untilStatus(client: Redis, status: string, occurrence: number) {
  let seen = 0;
  let last = '';
  for (;;) {
    if (client.status !== last) {
      last = client.status;
      if (last === status && ++seen === occurrence) return;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const DEAD = 'redis://127.0.0.1:1';

describe('BullMQ connections (src/jobs/connection.ts)', () => {
  // Without the patch each of these closes ends in an unhandled "connect ECONNREFUSED" (the failed attempt is
  // emitted as 'error' after close() removed the listeners): CI failed on it once.
  it('close a queue while it is still trying to reach a Redis that does not answer, without an unhandled rejection', async () => {
    process.on('unhandledRejection', record);
    for (let i = 0; i < 3; i++) {
      const queue = new Queue('motcua-closable', { connection: bullConnection(DEAD) });
      const errors: string[] = [];
      queue.on('error', (err) => errors.push(err.message));
      // The second attempt: the first failed (the queue saw its error) and a reconnect is in flight.
      await untilStatus(clientOf(queue), 'connecting', 2);
      expect(clientOf(queue).status).toBe('connecting');
      expect(errors.some((m) => m.includes('ECONNREFUSED'))).toBe(true);
      await queue.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rejections).toEqual([]);
  });

  it("close a worker likewise, its blocking connection included (which BullMQ builds itself)", async () => {
    process.on('unhandledRejection', record);
    for (let i = 0; i < 3; i++) {
      const worker = new Worker('motcua-closable', async () => undefined, { connection: bullConnection(DEAD), autorun: false });
      worker.on('error', () => undefined);
      await untilStatus(clientOf(worker, 'blockingConnection'), 'connecting', 2);
      await worker.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rejections).toEqual([]);
  });
});
