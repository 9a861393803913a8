/**
 * A Map that keeps at most `limit` entries, forgetting the oldest-written first: for values a process recomputes
 * on every request (verified tokens, folded names) whose keys recur but are not bounded by themselves.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.limit) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }
}
