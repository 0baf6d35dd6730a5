import type { ErrorClass } from '../../runner/ErrorClassifier.ts';
import type { Rule } from '../types.ts';

/** Codes of the engine's own LLM client (electron/engine/llm/llmErrors.ts). */
const CODES: Record<string, [ErrorClass, number]> = {
  llm_invalid_json: ['transient', 0.75],
  llm_schema_mismatch: ['transient', 0.7],
  llm_empty: ['transient', 0.7],
  llm_truncated: ['item_specific', 0.8],
};

/** A model answering garbage once usually answers properly on retry; truncation will repeat. */
export const llmClientRule: Rule = (r) => {
  if (r.code && r.code in CODES) {
    const [cls, confidence] = CODES[r.code]!;
    return { class: cls, rule: `llm.${r.code}`, confidence };
  }
  if (r.name === 'LlmRateLimited')
    return { class: 'rate_limited', rule: 'llm.rate_limited', confidence: 0.9 };
  if (r.name === 'LlmConfigError')
    return { class: 'systemic', rule: 'llm.config', confidence: 0.9 };
  return undefined;
};
