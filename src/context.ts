import type { Tx } from './db/client.js';
import type { Deps } from './deps.js';
import type { Actor, StaffActor } from './domain/actor.js';

/**
 * What a use case receives besides its input: the dependencies it uses (a narrow pick of the composition root,
 * so its signature says what it touches), who acts, the request id for the audit trail, and the transaction when
 * the caller already holds one.
 */
export type Context<K extends keyof Deps = never> = Pick<Deps, K> & {
  actor: Actor;
  requestId?: string;
  tx?: Tx;
};

/** A use case only a staff member can do (the roles it checks are theirs). */
export type StaffContext<K extends keyof Deps = never> = Context<K> & { actor: StaffActor };

/** A context for `actor` over the whole composition root (routes and jobs; each use case narrows its own type). */
export function contextOf<A extends Actor>(deps: Deps, actor: A, requestId?: string): Context<keyof Deps> & { actor: A } {
  return { ...deps, actor, requestId };
}
