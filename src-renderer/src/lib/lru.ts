// A small LRU map: get() refreshes, set() evicts the least recently used entries and hands
// them to `onEvict` (decoded frames are ImageBitmaps, whose memory is freed with close()).
export class Lru<K, V> {
  private map = new Map<K, V>();
  constructor(
    private capacity: number,
    private onEvict: (key: K, value: V) => void = () => {},
  ) {}

  get size(): number {
    return this.map.size;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  /** Keys from least to most recently used (a snapshot is safest when changing entries while iterating). */
  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  /** Read without refreshing (drawing a frame should not change what gets evicted). */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  /** `protect` keys survive this eviction round even if they are the oldest. */
  set(key: K, value: V, protect?: ReadonlySet<K>): void {
    const old = this.map.get(key);
    if (old !== undefined && old !== value) this.onEvict(key, old);
    this.map.delete(key);
    this.map.set(key, value);
    this.evict(protect);
  }

  resize(capacity: number, protect?: ReadonlySet<K>): void {
    this.capacity = Math.max(1, capacity);
    this.evict(protect);
  }

  clear(): void {
    for (const [k, v] of this.map) this.onEvict(k, v);
    this.map.clear();
  }

  private evict(protect?: ReadonlySet<K>): void {
    if (this.map.size <= this.capacity) return;
    for (const [k, v] of this.map) {
      if (this.map.size <= this.capacity) break;
      if (protect?.has(k)) continue;
      this.map.delete(k);
      this.onEvict(k, v);
    }
  }
}
