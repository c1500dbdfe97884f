// A fixed-size log buffer: the newest `capacity` lines, oldest dropped first,
// without ever copying the whole buffer on insert. Every line gets a sequence
// number so a view can ask for "what is new since the last look".
export const DEFAULT_LOG_BUFFER_LINES = 100_000;

export class LogRing<T> {
  private slots: (T | undefined)[];
  private start = 0;
  private count = 0;
  private nextSeq = 0;
  private droppedCount = 0;

  constructor(private cap = DEFAULT_LOG_BUFFER_LINES) {
    if (!Number.isInteger(cap) || cap < 1) throw new Error(`a log buffer holds at least 1 line, not ${cap}`);
    this.slots = new Array<T | undefined>(cap);
  }

  get capacity(): number {
    return this.cap;
  }
  get size(): number {
    return this.count;
  }
  /** Lines pushed out since the buffer was made. */
  get dropped(): number {
    return this.droppedCount;
  }
  /** Sequence number of the oldest line kept. */
  get firstSeq(): number {
    return this.nextSeq - this.count;
  }
  /** Sequence number the next line will get. */
  get endSeq(): number {
    return this.nextSeq;
  }

  push(item: T): void {
    const at = (this.start + this.count) % this.cap;
    this.slots[at] = item;
    if (this.count < this.cap) this.count++;
    else {
      this.start = (this.start + 1) % this.cap;
      this.droppedCount++;
    }
    this.nextSeq++;
  }

  pushMany(items: readonly T[]): void {
    for (const item of items) this.push(item);
  }

  /** Oldest first. */
  toArray(): T[] {
    return this.since(this.firstSeq);
  }

  /** Lines with a sequence number >= seq still in the buffer, oldest first. */
  since(seq: number): T[] {
    const from = Math.max(seq, this.firstSeq);
    const out: T[] = [];
    for (let s = from; s < this.nextSeq; s++) out.push(this.slots[(this.start + (s - this.firstSeq)) % this.cap]!);
    return out;
  }

  /** The newest `n` lines, oldest first. */
  tail(n: number): T[] {
    return this.since(this.nextSeq - n);
  }

  clear(): void {
    this.slots = new Array<T | undefined>(this.cap);
    this.start = 0;
    this.count = 0;
  }

  /** The user changed the buffer size: keep the newest lines that fit. */
  resize(capacity: number): void {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`a log buffer holds at least 1 line, not ${capacity}`);
    const keep = this.tail(capacity);
    this.droppedCount += this.count - keep.length;
    this.cap = capacity;
    this.slots = new Array<T | undefined>(capacity);
    this.start = 0;
    this.count = 0;
    const seq = this.nextSeq;
    this.pushMany(keep);
    this.nextSeq = seq;
  }
}
