import { TIME_UNIT_MS } from '../util/timeUnits.ts';
import type { ErrorRecord } from './types.ts';

/** A server asking for more than a day is more likely wrong than patient; cap it. */
const MAX_WAIT_MS = 24 * 3600_000;

/**
 * How long the server asked us to wait, from headers (`retry-after` in seconds or as an
 * HTTP date, `retry-after-ms`, OpenAI's `x-ratelimit-reset-*` like `6m0s`) or the message
 * ("Please try again in 20s", "retry after 30 seconds"). Undefined when nobody said.
 */
export function retryAfterMs(r: ErrorRecord, text: string, now: number): number | undefined {
  const h = r.headers ?? {};
  const ms = h['retry-after-ms'];
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return cap(Number(ms));
  const ra = h['retry-after'];
  if (ra) {
    if (/^\d+(\.\d+)?$/.test(ra.trim())) return cap(Number(ra) * 1000);
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return cap(Math.max(0, at - now));
  }
  for (const k of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens', 'x-ratelimit-reset']) {
    const v = h[k];
    if (v) {
      const d = goDuration(v);
      if (d !== undefined) return cap(d);
    }
  }
  const m =
    /(?:try again|retry|wait)(?: again)?(?: after| in)?\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)\b/i.exec(
      text,
    );
  if (m) return cap(Number(m[1]) * unitMs(m[2]!));
  return undefined;
}

/** `6m0s`, `1.5s`, `250ms`, `2h` → ms (the format OpenAI's reset headers use). */
export function goDuration(v: string): number | undefined {
  const parts = [...v.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== v.trim()) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unitMs(p[2]!), 0);
}

export function unitMs(unit: string): number {
  const exact = TIME_UNIT_MS[unit.toLowerCase()];
  if (exact !== undefined) return exact;
  return TIME_UNIT_MS[unit.toLowerCase().replace(/s$/, '')] ?? 1000;
}

function cap(ms: number): number {
  return Math.min(Math.max(0, Math.round(ms)), MAX_WAIT_MS);
}
