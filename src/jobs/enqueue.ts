import type { DbOrTx } from '../db/client.js';
import { outbox } from '../db/schema/index.js';
import { topics, type Payload, type Topic } from './topics.js';

/** Writes an outbox row; call it inside the transaction of the change it announces. */
export async function enqueueInTx<T extends Topic>(tx: DbOrTx, topic: T, payload: Payload<T>) {
  await tx.insert(outbox).values({ topic, payload: topics[topic].parse(payload) });
}
