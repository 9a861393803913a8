import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ClosableConnection } from '../../src/jobs/connection.js';

const rejections: unknown[] = [];
const record = (reason: unknown) => void rejections.push(reason);
afterEach(() => {
  process.off('unhandledRejection', record);
  rejections.length = 0;
});

/** The queue's ioredis client (BullMQ keeps it private): its status tells when a connection attempt is in flight. */
const clientOf = (queue: Queue) => (queue as unknown as { connection: { _client: Redis } }).connection._client;

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

describe('BullMQ connection', () => {
  // With bullmq's own RedisConnection this case ends in an unhandled "connect ECONNREFUSED" every time (the
  // failed attempt is emitted as 'error' after close() removed the listeners): CI failed on it once.
  it('closes a queue while it is still trying to reach a Redis that does not answer, without an unhandled rejection', async () => {
    process.on('unhandledRejection', record);
    for (let i = 0; i < 3; i++) {
      const queue = new Queue('motcua-closable', { connection: { url: 'redis://127.0.0.1:1', maxRetriesPerRequest: null } }, ClosableConnection);
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
});
