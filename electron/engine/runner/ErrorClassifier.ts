import type { NetworkJudge } from '../doctor/types.ts';
import type { RunFailure } from './coerceError.ts';

/** The doctor's classes (DESIGN.md §4). */
export const ERROR_CLASSES = [
  'transient',
  'rate_limited',
  'item_specific',
  'temporal',
  'systemic',
  'code_bug',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

export interface Verdict {
  class: ErrorClass | 'skip' | 'cancelled' | 'shutdown';
  /** Wait this long before the next attempt (Retry-After, RetryLater's delay). */
  retryAfterMs?: number;
  /** Pause the whole job (systemic, code bug, temporal) instead of burning the queue. */
  pauseJob?: { reason: string; untilMs?: number };
  source: string;
  signature?: string;
  confidence?: number;
  /** The doctor's action: retry, fail_item, skip, pause_job, pause_until. */
  action?: string;
  /** The rule that matched, or the LLM's one-line explanation. */
  explanation?: string;
  /** Temporal errors: when the job may resume (epoch ms). */
  resumeAt?: number;
  /**
   * The failure is not the item's fault (a rate limit, a network outage, a pause of the
   * whole job): the retry does not use up one of its attempts.
   */
  refundAttempt?: boolean;
  /**
   * A rate limit: the shared resources this stage uses (or the stage itself, when it uses
   * none) wait this long before starting anything else and slow down.
   */
  throttleMs?: number;
  /** What the verdict means beyond its class (doctor/types.ts RuleTag). */
  tag?: 'network' | 'block' | 'billing';
}

export interface ClassifyContext {
  jobId: string;
  stage: string;
  attempt: number;
  /** The failing item (absent for discovery errors); the doctor stores decisions per item. */
  itemId?: number;
  /** The site the item belongs to (host of its URL), for per-site block streaks. */
  host?: string;
  /** The stage counts block pages per site (a `per: host` resource), not per job. */
  perHost?: boolean;
}

/**
 * Decides what a failure means. The engine asks it once per failed run; the doctor
 * (electron/engine/doctor) is the full implementation, `basicClassifier` the fallback.
 */
export interface ErrorClassifier {
  classify(failure: RunFailure, ctx: ClassifyContext): Verdict | Promise<Verdict>;
  /** A run of this job succeeded (on this site): streaks of errors there end. */
  succeeded?(jobId: string, host: string | undefined): void;
  /** The engine hands over its network monitor, which judges network errors (offline?). */
  useNetwork?(judge: NetworkJudge): void;
}

/** Explicit signals and the scheduler's own causes; everything else is retried with backoff. */
export const basicClassifier: ErrorClassifier = {
  classify(f) {
    if (f.cause === 'cancelled') return { class: 'cancelled', source: 'signal' };
    if (f.cause === 'shutdown') return { class: 'shutdown', source: 'signal' };
    if (f.signal === 'skip_item') return { class: 'skip', source: 'signal' };
    if (f.signal === 'fail_item') return { class: 'item_specific', source: 'signal' };
    if (f.signal === 'retry_later') {
      return {
        class: 'transient',
        source: 'signal',
        ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
      };
    }
    if (f.cause === 'timeout') return { class: 'transient', source: 'rule' };
    if (f.cause === 'empty_result' || f.cause === 'bad_result')
      return { class: 'code_bug', source: 'rule' };
    return { class: 'transient', source: 'fallback' };
  },
};
