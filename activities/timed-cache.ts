/** Keeps a value for `ttlMs`; concurrent callers share one load, and a failed load is not kept. */
export class TimedCache<T> {
  private readonly entries = new Map<string, { until: number; value: Promise<T> }>();
  constructor(private readonly ttlMs: number) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = load();
    this.entries.set(key, { until: Date.now() + this.ttlMs, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** Drops the entries whose key matches (the next `get` loads again). */
  deleteWhere(matches: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (matches(key)) this.entries.delete(key);
  }
}
