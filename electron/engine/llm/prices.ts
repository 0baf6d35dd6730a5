import type { LlmPrice } from './llmConfig.ts';

/**
 * Default prices, USD per million tokens (input, output), as published by the providers in
 * 2025. They drift: override them under `llm.prices` or a provider's `prices`. A model that
 * is in no table costs *unknown* (NULL), never zero — a free-looking bill is worse than a gap.
 */
export const DEFAULT_PRICES: Record<string, LlmPrice> = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  // Groq
  'llama-3.1-8b-instant': { input: 0.05, output: 0.08 },
  'llama-3.3-70b-versatile': { input: 0.59, output: 0.79 },
  'openai/gpt-oss-20b': { input: 0.1, output: 0.5 },
  'openai/gpt-oss-120b': { input: 0.15, output: 0.75 },
  // OpenRouter names
  'openai/gpt-4o-mini': { input: 0.15, output: 0.6 },
  'openai/gpt-4.1-mini': { input: 0.4, output: 1.6 },
};

/**
 * Price lookup order: the provider's table, the global `llm.prices`, the defaults. In each,
 * the exact model name wins over a `*` wildcard.
 */
export function priceFor(
  model: string,
  tables: (Record<string, LlmPrice> | undefined)[],
): LlmPrice | undefined {
  for (const t of tables) {
    if (!t) continue;
    const p = t[model] ?? t['*'];
    if (p) return p;
  }
  return undefined;
}

/** USD for one call, or null when the model's price is unknown. */
export function costUsd(
  price: LlmPrice | undefined,
  tokensIn: number,
  tokensOut: number,
): number | null {
  if (!price) return null;
  return (tokensIn * price.input + tokensOut * price.output) / 1_000_000;
}
