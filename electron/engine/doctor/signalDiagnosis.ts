import type { RunFailure } from '../runner/coerceError.ts';
import type { Diagnosis } from './types.ts';

/**
 * What the handler said on purpose (RetryLater, SkipItem, FailItem) and the scheduler's own
 * causes (timeout, empty or malformed result, cancel, shutdown) need no diagnosis.
 * `counts` says whether the breaker counts it: a handler asking to retry later is in
 * control; a timeout or an empty result is an error like any other.
 */
export function signalDiagnosis(
  f: RunFailure,
  signature: string,
): { d: Diagnosis; counts: boolean } | undefined {
  const base = { source: 'signal' as const, signature, confidence: 1 };
  if (f.cause === 'cancelled' || f.cause === 'shutdown')
    return {
      d: {
        ...base,
        class: f.cause,
        action: f.cause === 'cancelled' ? 'fail_item' : 'retry',
        explanation: `signal.${f.cause}`,
      },
      counts: false,
    };
  if (f.signal === 'skip_item')
    return {
      d: { ...base, class: 'skip', action: 'skip', explanation: 'signal.SkipItem' },
      counts: false,
    };
  if (f.signal === 'fail_item')
    return {
      d: { ...base, class: 'item_specific', action: 'fail_item', explanation: 'signal.FailItem' },
      counts: true,
    };
  if (f.signal === 'retry_later')
    return {
      d: {
        ...base,
        class: 'transient',
        action: 'retry',
        explanation: 'signal.RetryLater',
        ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
      },
      counts: false,
    };
  if (f.cause === 'timeout')
    return {
      d: {
        ...base,
        class: 'transient',
        action: 'retry',
        explanation: 'signal.timeout',
        confidence: 0.9,
      },
      counts: true,
    };
  if (f.cause === 'empty_result' || f.cause === 'bad_result')
    return {
      d: {
        ...base,
        class: 'code_bug',
        action: 'pause_job',
        explanation: `signal.${f.cause}`,
        confidence: 0.9,
      },
      counts: true,
    };
  return undefined;
}
