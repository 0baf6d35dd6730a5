import { retryAfterMs } from '../retryAfter.ts';
import type { Rule, RuleHit } from '../types.ts';

const SDK_NAMES = new Set([
  'RateLimitError',
  'AuthenticationError',
  'PermissionDeniedError',
  'BadRequestError',
  'NotFoundError',
  'ConflictError',
  'UnprocessableEntityError',
  'InternalServerError',
  'APIConnectionError',
  'APIConnectionTimeoutError',
  'APIUserAbortError',
  'APIError',
  'LengthFinishReasonError',
  'ContentFilterFinishReasonError',
]);

/**
 * The openai SDK's error classes (v6 sets no `name`; toRecord reads the constructor), and
 * the provider codes inside their bodies. insufficient_quota is a 429 that waiting does not
 * cure (the account is out of credit), so it pauses the job instead of retrying.
 */
export const openaiRule: Rule = (r, text, now) => {
  const name = r.name ?? '';
  const api = r.apiCode ?? '';
  if (
    !SDK_NAMES.has(name) &&
    !/^(insufficient_quota|context_length_exceeded|rate_limit_exceeded|invalid_api_key|model_not_found)$/.test(
      api,
    )
  )
    return undefined;
  const hit = (
    c: RuleHit['class'],
    rule: string,
    confidence = 0.9,
    extra: Partial<RuleHit> = {},
  ): RuleHit => ({
    class: c,
    rule: `openai.${rule}`,
    confidence,
    ...extra,
  });
  if (api === 'insufficient_quota' || /exceeded your current quota|billing/i.test(text))
    return hit('systemic', 'insufficient_quota', 0.95);
  if (
    api === 'context_length_exceeded' ||
    /maximum context length|context[_ ]length|too many tokens|reduce the length/i.test(text)
  )
    return hit('item_specific', 'context_length', 0.95);
  if (api === 'invalid_api_key' || name === 'AuthenticationError')
    return hit('systemic', 'auth', 0.95);
  if (name === 'PermissionDeniedError') return hit('systemic', 'permission', 0.85);
  if (api === 'model_not_found' || (name === 'NotFoundError' && /model/i.test(text)))
    return hit('systemic', 'model_not_found', 0.9);
  if (name === 'RateLimitError' || api === 'rate_limit_exceeded') {
    const wait = retryAfterMs(r, text, now);
    return hit(
      'rate_limited',
      'rate_limit',
      0.95,
      wait !== undefined ? { retryAfterMs: wait } : {},
    );
  }
  if (name === 'ContentFilterFinishReasonError')
    return hit('item_specific', 'content_filter', 0.85);
  if (name === 'LengthFinishReasonError') return hit('item_specific', 'length', 0.75);
  if (name === 'BadRequestError' || name === 'UnprocessableEntityError')
    return hit('item_specific', 'bad_request', 0.7);
  if (name === 'NotFoundError') return hit('item_specific', 'not_found', 0.7);
  if (name === 'APIUserAbortError') return hit('transient', 'aborted', 0.7);
  if (name === 'APIConnectionTimeoutError') return hit('transient', 'timeout', 0.9);
  if (name === 'APIConnectionError' || name === 'InternalServerError' || name === 'ConflictError')
    return hit('transient', name, 0.85);
  return undefined;
};
