/**
 * Exponential backoff with "full jitter" on the upper half: attempt 1 waits about `base`,
 * each next attempt doubles, capped at `max`. Jitter spreads a burst of failures (a provider
 * blip failing 500 items at once) so their retries do not hit the provider together again.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
