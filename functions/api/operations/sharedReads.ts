/**
 * Reads cached per key for a time, shared while in flight: callers that miss together (an
 * import's lanes, a burst of requests) wait for one read instead of each sending their own. A
 * failed read is not kept: the next caller reads again.
 */
export class SharedReads<T> {
  private readonly entries = new Map<string, { value: Promise<T>; readAt: number }>();

  get(key: string, ttlMs: number, read: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    const now = Date.now();
    if (hit && now - hit.readAt < ttlMs) return hit.value;
    const entry = { value: read(), readAt: now };
    this.entries.set(key, entry);
    entry.value.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    return entry.value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
