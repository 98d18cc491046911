/**
 * Splits an exact total over n parents in proportion to integer weights, visiting parents in order:
 * parent i gets floor(T·W_i/W) - floor(T·W_{i-1}/W) where W_i is the running weight sum. The counts
 * always add up to T exactly (the planned count is the loaded count), heavier parents get more
 * (level-skewed inventories, power-law friend lists), and only one pass over the weights is needed
 * up front, no per-parent storage.
 */
export class Quota {
  private readonly total: number;
  private readonly weightSum: number;
  private running = 0;
  private given = 0;

  constructor(total: number, n: number, weight: (i: number) => number) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weight(i);
    this.total = total;
    this.weightSum = sum;
    if (total > 0 && sum === 0) throw new Error("Quota: every weight is zero");
  }

  /** The count of the next parent, whose weight is `w` (must equal weight(i) of the constructor pass). */
  next(w: number): number {
    if (this.weightSum === 0) return 0;
    this.running += w;
    const upTo = this.running >= this.weightSum ? this.total : Math.floor((this.running / this.weightSum) * this.total);
    const count = upTo - this.given;
    this.given = upTo;
    return count;
  }
}
