import type { Rule } from '../types.ts';
import { hitOf, type Entry } from './entry.ts';

/**
 * Codes of the engine's own typed errors (built-in fetch, discovery, the LLM client, the
 * worker pool). We wrote them for exactly one situation each, so they weigh most.
 */
const CODES: Record<string, Entry> = {
  rate_limited_page: ['rate_limited', 0.97],
  bot_check: ['systemic', 0.97, 'block'],
  login_wall: ['systemic', 0.97, 'block'],
  auth_required: ['systemic', 0.95],
  empty_body: ['transient', 0.9],
  bad_format: ['item_specific', 0.75],
  worker_crashed: ['transient', 0.75],
  llm_not_configured: ['systemic', 0.97],
  llm_rate_limited: ['rate_limited', 0.93],
  llm_invalid_json: ['transient', 0.8],
  llm_schema_mismatch: ['transient', 0.75],
  llm_empty: ['transient', 0.75],
  llm_truncated: ['item_specific', 0.85],
};

export const ownCodeRule: Rule = (r) => {
  const e = r.code ? CODES[r.code] : undefined;
  if (e) return hitOf(`code.${r.code}`, e);
  if (r.name === 'LlmRateLimited')
    return { class: 'rate_limited', rule: 'llm.rate_limited', confidence: 0.93 };
  if (r.name === 'LlmConfigError')
    return { class: 'systemic', rule: 'llm.config', confidence: 0.95 };
  return undefined;
};
