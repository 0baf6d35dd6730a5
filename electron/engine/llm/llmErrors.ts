import { SIGNAL } from '../handler/signals.ts';

/**
 * Typed LLM failures with stable `code`s the doctor can classify. None of them is a result:
 * a truncated or unparsable answer is never stored.
 */
export class LlmOutputError extends Error {
  override readonly name = 'LlmOutputError';
  constructor(
    readonly code: 'llm_truncated' | 'llm_invalid_json' | 'llm_schema_mismatch' | 'llm_empty',
    message: string,
  ) {
    super(message);
  }
}

/** No provider configured, unknown provider, missing key: a person must fix the config. */
export class LlmConfigError extends Error {
  override readonly name = 'LlmConfigError';
  readonly code = 'llm_not_configured';
  /** Retrying cannot help; the doctor pauses the job on this class. */
  readonly errorClass = 'systemic';
}

/** The provider said 429: wait as long as it asks (Retry-After), else a minute. */
export class LlmRateLimited extends Error {
  override readonly name = 'LlmRateLimited';
  /** Carries RetryLater's brand (handler/signals.ts): the engine waits `afterMs`. */
  readonly [SIGNAL] = 'retry_later' as const;
  readonly code = 'llm_rate_limited';
  readonly status = 429;
  constructor(
    message: string,
    readonly afterMs?: number,
  ) {
    super(message);
  }
}

/** Seconds or an HTTP date in Retry-After (or retry-after-ms, which OpenAI also sends). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const v = headers.get('retry-after');
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
