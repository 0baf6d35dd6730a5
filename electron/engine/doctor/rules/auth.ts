import type { Rule } from '../types.ts';

const MISSING_KEY =
  /(api[_ -]?key (?:is )?(?:missing|not (?:set|provided|configured|found))|missing (?:an? )?(?:api[_ -]?key|credentials|access token)|no api[_ -]?key|[A-Z_]+_API_KEY environment variable is (?:missing|not set)|(?:api[_ -]?key|token|secret) (?:is )?(?:empty|undefined)|you didn't provide an api key|secret `?[\w-]+`? (?:is )?not (?:set|found))/i;

const AUTH_EXPIRED =
  /(token (?:has )?expired|expired token|jwt expired|session (?:has )?expired|cookies? (?:has |have )?expired|invalid_grant|refresh token|login required|please (?:log|sign) ?in|not logged in|re-?authenticate|credentials (?:have )?expired|invalid (?:api[_ -]?key|credentials|access token|authentication)|incorrect api key|unauthori[sz]ed)/i;

/** A key that was never configured: every item will fail the same way until a person acts. */
export const missingKeyRule: Rule = (r, text) =>
  r.code === 'auth_required' || MISSING_KEY.test(text)
    ? { class: 'systemic', rule: 'auth.missing-key', confidence: 0.95 }
    : undefined;

/** Expired or rejected credentials (401s are handled by the HTTP rule with the same verdict). */
export const authExpiredRule: Rule = (_r, text) =>
  AUTH_EXPIRED.test(text)
    ? { class: 'systemic', rule: 'auth.expired', confidence: 0.85 }
    : undefined;
