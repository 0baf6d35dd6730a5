import { z } from 'zod';
import { duration } from '../config/durationSchema.ts';

/**
 * The `llm:` block of jobs.yaml. Keys are strict (a typo is an error). API keys are never
 * written here: `api_key: secret:NAME` names a secret the SecretStore resolves (keychain,
 * or TRIBUTARY_SECRET_NAME / the provider's usual variable).
 */
/** USD per million tokens; the dearest models cost well under $1000. */
const PerMillion = z.number().min(0).max(10_000, 'prices are USD per million tokens');

export const LlmPrice = z.strictObject({
  /** USD per million input tokens. */
  input: PerMillion,
  /** USD per million output tokens. */
  output: PerMillion,
});

const Timeout = duration(
  '1s',
  '1h',
  'one call; a long generation fits in an hour, a hung provider should not hold a run longer',
).prefault('120s');

export const LlmProviderConfig = z.strictObject({
  /** OpenAI-compatible endpoint: https://api.openai.com/v1, https://api.groq.com/openai/v1, http://127.0.0.1:11434/v1 … */
  base_url: z.string().url(),
  api_key: z
    .string()
    .refine((v) => v.startsWith('secret:'), {
      message:
        'write `secret:NAME` and store the key in the keychain or TRIBUTARY_SECRET_NAME; jobs.yaml never holds a key',
    })
    .optional(),
  /** Models this provider serves; the first is its default. */
  models: z.array(z.string()).optional(),
  /** Prices for this provider's models (a local server can say `'*': { input: 0, output: 0 }`). */
  prices: z.record(z.string(), LlmPrice).optional(),
  timeout: Timeout,
});

export const LlmConfig = z.strictObject({
  providers: z.record(z.string(), LlmProviderConfig).default({}),
  /** Extra or overriding prices for any provider, by model name. */
  prices: z.record(z.string(), LlmPrice).default({}),
  default_provider: z.string().optional(),
});

export type LlmPrice = z.output<typeof LlmPrice>;
export type LlmProviderConfig = z.output<typeof LlmProviderConfig>;
export type LlmConfig = z.output<typeof LlmConfig>;
