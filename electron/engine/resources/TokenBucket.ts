import type { Rate } from './parseRate.ts';

/**
 * A token bucket: holds up to `burst` tokens, refilled continuously at `rate`. A run takes one
 * token when it starts; with none left, the next one arrives in `msUntilToken()`.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    public rate: Rate,
    public burst: number,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Tokens available now (fractional tokens do not count). */
  available(now = Date.now()): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  take(n = 1, now = Date.now()): boolean {
    this.refill(now);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  msUntilToken(now = Date.now()): number {
    this.refill(now);
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) * this.rate.perMs) / this.rate.tokens);
  }

  /** Applies new limits without losing what has been spent. */
  reconfigure(rate: Rate, burst: number, now = Date.now()): void {
    this.refill(now);
    this.rate = rate;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  private refill(now: number): void {
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(
        this.burst,
        this.tokens + (elapsed * this.rate.tokens) / this.rate.perMs,
      );
      this.last = now;
    }
  }
}
