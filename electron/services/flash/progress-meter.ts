// Speed over a sliding window of a few seconds, so the ETA follows the card's
// real pace (SD cards slow down as their cache fills) instead of the average.
export class ProgressMeter {
  private samples: { t: number; bytes: number }[] = [];
  private total = 0;
  constructor(private readonly windowMs = 3000, private readonly now: () => number = () => performance.now()) {}

  reset(): void {
    this.samples = [{ t: this.now(), bytes: 0 }];
    this.total = 0;
  }

  add(bytes: number): void {
    this.total += bytes;
    const t = this.now();
    this.samples.push({ t, bytes: this.total });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
  }

  /** Bytes per second over the window; 0 until there is something to measure. */
  speed(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.t - first.t < 1) return 0;
    return ((last.bytes - first.bytes) / (last.t - first.t)) * 1000;
  }
}
