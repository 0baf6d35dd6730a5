/** The slowest a rate-limited resource is throttled to: a sixteenth of its configured pace. */
export const MIN_FACTOR = 1 / 16;

/** Without a new rate limit for this long, the pace climbs back by RECOVER_STEP. */
export const RECOVER_EVERY_MS = 30_000;
export const RECOVER_STEP = 0.25;

/**
 * How a shared resource (or a stage with none) reacts when the far side says "too many
 * requests" — multiplicative decrease, additive increase, like TCP's congestion control:
 * - `hold(ms)`: nothing new starts until the server's Retry-After has passed, whoever asks;
 * - the pace (concurrency cap and token rate) halves, at most once per burst of 429s (runs
 *   already in flight report theirs at about the same time and must not halve it again);
 * - every RECOVER_EVERY_MS without a rate limit it climbs back by a quarter of the original,
 *   so a limit that has lifted costs minutes, not the rest of the day.
 * Time is passed in, so tests need no timers.
 */
export class Slowdown {
  private factorAt = 1;
  private changedAt = 0;
  private lastPenaltyAt = Number.NEGATIVE_INFINITY;
  holdUntil = 0;
  /** Rate limits seen since the pace was last back to normal. */
  hits = 0;

  /** A rate limit: hold for `holdMs` and slow down (once per burst). */
  penalize(holdMs: number, now: number): void {
    this.holdUntil = Math.max(this.holdUntil, now + holdMs);
    this.hits++;
    const f = this.factor(now);
    // Runs in flight when the limit hit report within moments of each other: one halving.
    if (now - this.lastPenaltyAt >= Math.min(Math.max(holdMs, 1000), 5000)) {
      this.factorAt = Math.max(MIN_FACTOR, f / 2);
      this.changedAt = now;
      this.lastPenaltyAt = now;
    }
  }

  /** The share of the configured pace allowed now (1 = unthrottled). */
  factor(now: number): number {
    if (this.factorAt >= 1) return 1;
    const steps = Math.floor(
      Math.max(0, now - Math.max(this.changedAt, this.holdUntil)) / RECOVER_EVERY_MS,
    );
    const f = Math.min(1, this.factorAt + steps * RECOVER_STEP);
    if (f >= 1) {
      this.factorAt = 1;
      this.hits = 0;
    }
    return f;
  }

  /** Milliseconds until the hold lifts (0: not held). */
  heldFor(now: number): number {
    return Math.max(0, this.holdUntil - now);
  }

  /** A concurrency cap at the current pace (never below one run). */
  cap(configured: number, now: number): number {
    return Math.max(1, Math.floor(configured * this.factor(now)));
  }

  /** Still slowed or held at `now` (a recovered resource is forgotten). */
  active(now: number): boolean {
    return this.factor(now) < 1 || this.holdUntil > now;
  }
}
