import { RedisConnection } from 'bullmq';

/**
 * BullMQ's connection, except that an error nobody listens for any more is dropped instead of thrown.
 *
 * Why: a queue or worker closed while its first connection is still being made (Redis down or slow) removes its
 * listeners at once, and the connection attempt fails later. BullMQ then emits that failure as 'error' on a
 * connection with no listener, which Node throws, inside a promise handler: an unhandled rejection (seen in CI as
 * "connect ECONNREFUSED" after the readiness test closed an app whose Redis did not answer; bullmq 5.81,
 * RedisConnection's `initializing.catch(err => this.emit('error', err))` after `close()` ran `removeAllListeners()`).
 * While the queue is open its own 'error' listener still receives every error.
 */
export class ClosableConnection extends RedisConnection {
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'error' && this.listenerCount('error') === 0) return false;
    return super.emit(event, ...args);
  }
}

/** Connection options for BullMQ objects: commands wait for Redis rather than fail (workers ride out an outage). */
export const bullConnection = (redisUrl: string) => ({ url: redisUrl, maxRetriesPerRequest: null });
