import { coerceError } from './coerceError.ts';
import type { ClassifyContext, ErrorClassifier, Verdict } from './ErrorClassifier.ts';

/**
 * Discovery failures go to the doctor like stage failures (stage `_discovery`). When the
 * doctor has no opinion (its fallback verdict), two deterministic rules of discovery's own
 * apply, because a source is not an item and "retry with backoff" is wrong for both:
 * - HTTP 429 (or 503 with Retry-After) → rate_limited, waiting for Retry-After;
 * - a login wall (401/403, a sign-in page served as 200, a missing credential) → systemic:
 *   the job pauses with the reason, since every round would fail the same way.
 */
export async function classifyDiscoveryError(
  err: unknown,
  classifier: ErrorClassifier,
  ctx: ClassifyContext,
): Promise<{ verdict: Verdict; message: string }> {
  const failure = coerceError(err);
  const aborted = (err as { kind?: unknown } | null)?.kind;
  if (aborted === 'shutdown' || aborted === 'cancelled') {
    return { verdict: { class: aborted, source: 'signal' }, message: failure.message };
  }
  const carried = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  if (typeof carried === 'number' && failure.retryAfterMs === undefined)
    failure.retryAfterMs = carried;
  let verdict: Verdict;
  try {
    verdict = await classifier.classify(failure, ctx);
  } catch (e) {
    // A broken classifier must not stop discovery: fall back to the rules below.
    verdict = { class: 'transient', source: 'fallback', signature: String((e as Error).message) };
  }
  if (verdict.source === 'fallback') {
    if (failure.status === 429 || (failure.status === 503 && failure.retryAfterMs !== undefined)) {
      verdict = {
        class: 'rate_limited',
        source: 'rule',
        ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
      };
    } else if (
      failure.code === 'auth_required' ||
      failure.status === 401 ||
      failure.status === 403
    ) {
      verdict = {
        class: 'systemic',
        source: 'rule',
        pauseJob: { reason: `discovery needs attention: ${failure.message}` },
      };
    }
  }
  if (
    verdict.class === 'rate_limited' &&
    verdict.retryAfterMs === undefined &&
    failure.retryAfterMs !== undefined
  )
    verdict = { ...verdict, retryAfterMs: failure.retryAfterMs };
  return { verdict, message: failure.message };
}
