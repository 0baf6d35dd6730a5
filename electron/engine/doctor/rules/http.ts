import { retryAfterMs } from '../retryAfter.ts';
import type { Rule, RuleHit } from '../types.ts';

/** A 403 whose body is a login page, a bot check or a block: every item will hit it. */
const LOGIN_WALL =
  /(sign ?in|log ?in|logged in|session (?:has )?expired|captcha|are you a (?:robot|human)|verify you are human|cloudflare|access denied|blocked|unusual traffic|rate limit|subscribe to (?:continue|read))/i;

/**
 * HTTP statuses, from `status` or a message like "HTTP 503" / "Request failed with status
 * code 404". Retry-After wins over the stage's backoff for 429 and 503.
 */
export const httpRule: Rule = (r, text, now) => {
  const status = r.status ?? statusFromText(r.message);
  if (status === undefined || status < 400) return undefined;
  const hit = (c: RuleHit['class'], confidence: number, extra: Partial<RuleHit> = {}): RuleHit => ({
    class: c,
    rule: `http.${status}`,
    confidence,
    ...extra,
  });
  const wait = retryAfterMs(r, text, now);
  const withWait = wait !== undefined ? { retryAfterMs: wait } : {};
  switch (status) {
    case 401:
    case 407:
      return hit('systemic', 0.9);
    case 403:
      return LOGIN_WALL.test(`${r.body ?? ''} ${r.message}`)
        ? hit('systemic', 0.85)
        : hit('item_specific', 0.6);
    case 404:
    case 410:
    case 451:
      return hit('item_specific', 0.9);
    case 400:
    case 405:
    case 413:
    case 414:
    case 415:
    case 422:
      return hit('item_specific', 0.75);
    case 408:
    case 409:
    case 425:
      return hit('transient', 0.8, withWait);
    case 429:
      if (/quota|billing|credits?|insufficient/i.test(text) && !/try again|retry/i.test(text))
        return hit('rate_limited', 0.8, withWait);
      return hit('rate_limited', 0.95, withWait);
    case 402:
      return hit('systemic', 0.8);
    case 501:
      return hit('item_specific', 0.6);
    case 507:
      return hit('systemic', 0.8);
    default:
      if (status >= 500) return hit('transient', 0.85, withWait);
      return hit('item_specific', 0.5);
  }
};

function statusFromText(message: string): number | undefined {
  const m =
    /\b(?:HTTP(?:\/\d(?:\.\d)?)?|status(?: code)?|responded with|returned|response|error)[: ]+(\d{3})\b/i.exec(
      message,
    ) ?? /^(\d{3}) [A-Z][a-z]+/.exec(message);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= 400 && n < 600 ? n : undefined;
}
