import type { RetryPolicy } from '../config/schema.ts';
import type { CostEntry, StageOutcome } from '../tracker/outcome.ts';
import { backoffMs } from './backoff.ts';
import type { RunFailure } from './coerceError.ts';
import type { Verdict } from './ErrorClassifier.ts';

/**
 * Maps a failure and its verdict to the one outcome the tracker writes.
 * - cancel → failed; shutdown → handed back; skip → skipped; item-specific → failed.
 * - everything else is retried with backoff (Retry-After wins) until attempts run out → dead.
 *   A job-pausing verdict still parks the item as a retry: the pause holds the job, and the
 *   item runs again after resume instead of being burnt.
 * - a failure that is not the item's fault (`refundAttempt`: rate limits, network outages,
 *   temporal waits, pauses of the whole job) is retried without using up an attempt, so it
 *   can never send the item to the dead bin.
 */
export function decideOutcome(
  failure: RunFailure,
  verdict: Verdict,
  attempt: number,
  policy: RetryPolicy,
  now: number,
  costs: CostEntry[],
): StageOutcome {
  const error = `${failure.name}: ${failure.message}`.slice(0, 4000);
  const extra = costs.length > 0 ? { costs } : {};
  switch (verdict.class) {
    case 'shutdown':
      return { kind: 'handed_back' };
    case 'cancelled':
      return { kind: 'failed', error: 'cancelled by user', errorClass: 'cancelled', ...extra };
    case 'skip':
      return { kind: 'skipped', reason: failure.message, ...extra };
    case 'item_specific':
      // Taught "pause the job" for an item error: the pause answers it, the item waits.
      if (verdict.pauseJob)
        return {
          kind: 'retry',
          readyAt: now,
          error,
          errorClass: verdict.class,
          refundAttempt: true,
          ...extra,
        };
      return { kind: 'failed', error, errorClass: verdict.class, ...extra };
    default: {
      const pausing = verdict.pauseJob !== undefined;
      const refund = verdict.refundAttempt === true;
      if (!pausing && !refund && attempt >= policy.max_attempts) {
        return {
          kind: 'dead',
          error: `${error} (gave up after ${attempt} attempts)`,
          errorClass: verdict.class,
          ...extra,
        };
      }
      const wait = verdict.retryAfterMs ?? backoffMs(attempt, policy.backoff, policy.max_backoff);
      return {
        kind: 'retry',
        readyAt: now + wait,
        error,
        errorClass: verdict.class,
        ...(refund ? { refundAttempt: true } : {}),
        ...extra,
      };
    }
  }
}
