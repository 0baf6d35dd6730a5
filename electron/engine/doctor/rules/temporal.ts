import { resumeTime } from '../resumeTime.ts';
import { retryAfterMs } from '../retryAfter.ts';
import type { Rule } from '../types.ts';

/** Nothing said when: look again in 30 minutes rather than hammering a closed market. */
export const DEFAULT_TEMPORAL_WAIT_MS = 30 * 60_000;

const TEMPORAL =
  /\b(market(?:s)? (?:is |are )?(?:closed|not open)|outside (?:of )?(?:regular |normal )?(?:trading |business |market |service |opening )?hours|after[- ]hours|pre-?market|trading (?:is )?(?:halted|suspended|closed)|exchange (?:is )?closed|not (?:yet )?open(?:ed)? (?:yet|for trading)|closed for the (?:day|weekend|holiday)|(?:scheduled|planned) maintenance|maintenance window|service (?:is )?(?:closed|unavailable) (?:until|outside)|only available (?:between|during)|opens? (?:again )?(?:at|on|tomorrow)|come back (?:at|after|tomorrow))/i;

/** "Market closed", "outside trading hours", maintenance windows: resume at the stated time. */
export const temporalRule: Rule = (r, text, now) => {
  if (!TEMPORAL.test(text)) return undefined;
  const at = resumeTime(text, now) ?? addMs(now, retryAfterMs(r, text, now));
  return {
    class: 'temporal',
    rule: 'temporal.hours',
    confidence: at !== undefined ? 0.9 : 0.75,
    resumeAt: at ?? now + DEFAULT_TEMPORAL_WAIT_MS,
  };
};

function addMs(now: number, ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : now + ms;
}
