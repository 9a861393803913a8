import { RedisConnection } from 'bullmq';

/**
 * Every BullMQ connection of this process drops an 'error' that nobody listens to any more, instead of throwing it.
 *
 * Why: a queue or worker closed while its first connection is still being made (Redis down or slow) removes its
 * listeners at once, and the connection attempt fails later. BullMQ then emits that failure as 'error' on a
 * connection with no listener, which Node throws, inside a promise handler: an unhandled rejection (seen in CI as
 * "connect ECONNREFUSED" after the readiness test closed an app whose Redis did not answer; bullmq 5.81,
 * RedisConnection's `initializing.catch(err => this.emit('error', err))` after `close()` ran `removeAllListeners()`).
 * The prototype is patched, not a subclass passed to the constructors, because a Worker builds its blocking
 * connection from RedisConnection itself. While a queue or worker is open, its own 'error' listener still receives
 * every error. Imported for this effect by every module that creates BullMQ objects (through bullConnection).
 */
const emit = RedisConnection.prototype.emit;
RedisConnection.prototype.emit = function emitUnlessClosed(this: RedisConnection, event: string | symbol, ...args: unknown[]) {
  if (event === 'error' && this.listenerCount('error') === 0) return false;
  return emit.call(this, event, ...args);
};

/** Connection options for BullMQ objects: commands wait for Redis rather than fail (workers ride out an outage). */
export const bullConnection = (redisUrl: string) => ({ url: redisUrl, maxRetriesPerRequest: null });
