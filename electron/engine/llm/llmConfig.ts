import { z } from 'zod';
import { Duration } from '../config/durationSchema.ts';

/**
 * The `llm:` block of jobs.yaml. Keys are strict (a typo is an error). API keys are never
 * written here: `api_key: secret:NAME` names a secret the SecretStore resolves (keychain,
 * or TRIBUTARY_SECRET_NAME / the provider's usual variable).
 */
export const LlmPrice = z.strictObject({
  /** USD per million input tokens. */
  input: z.number().min(0),
  /** USD per million output tokens. */
  output: z.number().min(0),
});

const Timeout = Duration.prefault('120s');

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
