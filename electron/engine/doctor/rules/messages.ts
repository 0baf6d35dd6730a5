import { retryAfterMs } from '../retryAfter.ts';
import type { ErrorClass } from '../../runner/ErrorClassifier.ts';
import type { Rule } from '../types.ts';

/** Well-known phrases when no code or status survived the wrapping. */
const PHRASES: [RegExp, ErrorClass, number][] = [
  [
    /too many requests|rate[- ]?limit(?:ed)?|throttl(?:ed|ing)|slow down|quota exceeded|request limit/i,
    'rate_limited',
    0.8,
  ],
  [
    /socket hang up|connection (?:was )?(?:reset|closed|refused)|network (?:error|is unreachable|timeout)|timed? ?out|temporarily unavailable|service unavailable|bad gateway|gateway time-?out|try again later|server error|overloaded|econnreset/i,
    'transient',
    0.7,
  ],
  [/out of memory|heap out of memory|allocation failed/i, 'systemic', 0.75],
  [
    /not found|no longer exists|does not exist|has been deleted|gone|unsupported (?:format|content type|media type)|could not parse|malformed|invalid (?:input|data|item|document|pdf|html)|empty (?:page|document|transcript)|no transcript|paywall/i,
    'item_specific',
    0.6,
  ],
];

export const messageRule: Rule = (r, text, now) => {
  for (const [re, cls, confidence] of PHRASES) {
    if (re.test(text)) {
      const wait = cls === 'rate_limited' ? retryAfterMs(r, text, now) : undefined;
      return {
        class: cls,
        rule: `message.${cls}`,
        confidence,
        ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      };
    }
  }
  return undefined;
};
