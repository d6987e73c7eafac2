/**
 * A request size (blocks per log query, calls per multicall) that adapts to an endpoint's refusals.
 * A refused size is halved; then the size grows back slowly, a quarter at a time and only up to just
 * below the size last refused. Once a size was answered and a larger one refused, it stays at the
 * answered one. After `probeAfter` answers in a row it tries a quarter above again (limits by result
 * count move with the density of the chain): an endpoint with a fixed limit refuses about one request
 * in `probeAfter`, not every other one as when the size doubles straight back to its maximum.
 */
export class AdaptiveSize {
  /** The size to ask next. */
  current: number;
  /** The smallest size refused since the last probe; undefined when none was. */
  private ceiling: number | undefined;
  /** The largest size answered since the last refusal of a size at or below it. */
  private good: number | undefined;
  private answeredInARow = 0;
  /** Requests refused so far. */
  refusals = 0;

  constructor(
    initial: number,
    /** Never grows past this. */
    readonly max: number = initial,
    readonly probeAfter = 64,
  ) {
    this.current = Math.max(1, Math.min(initial, max));
  }

  /** A request of `size` was refused as too large. */
  refused(size: number = this.current): void {
    this.refusals++;
    this.answeredInARow = 0;
    // A size answered before and now refused: the limit moved (a denser stretch); forget it.
    if (this.good !== undefined && this.good >= size) this.good = undefined;
    if (this.good !== undefined) {
      // The limit lies between the largest size answered and this one: stay at the former until the next probe.
      this.ceiling = this.good + 1;
      this.current = Math.min(this.current, this.good);
    } else {
      // Several requests in flight may be refused at once: each lowers the size from its own, once.
      this.ceiling = Math.min(this.ceiling ?? Infinity, size);
      this.current = Math.min(this.current, Math.max(1, Math.floor(size / 2)));
    }
  }

  /** A request of `size` was answered: grow slowly below the last refused size, double when none was. */
  answered(size: number = this.current): void {
    this.good = Math.max(this.good ?? 0, size);
    this.answeredInARow++;
    if (this.ceiling !== undefined && this.answeredInARow >= this.probeAfter) {
      this.ceiling = undefined;
      this.answeredInARow = 0;
    }
    const step = Math.max(1, Math.floor(this.current / 4));
    let grown: number;
    if (this.ceiling !== undefined) grown = Math.min(this.ceiling - 1, this.current + step);
    else grown = this.refusals > 0 ? this.current + step : this.current * 2;
    this.current = Math.max(1, Math.min(this.max, Math.max(this.current, grown)));
  }

  /** Asks no more than `size` next (an answer was larger than wanted); grows back from there as after any answer. */
  limit(size: number): void {
    this.current = Math.max(1, Math.min(this.current, Math.floor(size)));
  }
}
