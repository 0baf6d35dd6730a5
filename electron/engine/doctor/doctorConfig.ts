import { z } from 'zod';
import { duration } from '../config/durationSchema.ts';

/**
 * The top-level `doctor:` key of jobs.yaml: whether and how the LLM classifier runs. It uses
 * a provider from the `llm:` block (default: `llm.default_provider`, else the first one);
 * without a provider or its key the doctor works on rules alone.
 */
export const DoctorConfig = z.strictObject({
  llm: z.boolean().default(true),
  provider: z.string().optional(),
  /** Default: the provider's first model. A small, cheap model is plenty. */
  model: z.string().optional(),
  daily_budget_usd: z.number().min(0).max(1000).default(0.25),
  timeout: duration('1s', '5m', 'one classification; the rules answer meanwhile').prefault('10s'),
});
export type DoctorConfig = z.output<typeof DoctorConfig>;
