import { z } from 'zod';
import { duration } from './durationSchema.ts';
import { PriorityRule } from './priorityRules.ts';
import { parseRate } from '../resources/parseRate.ts';
import { isValidTimeZone } from '../cost/dayBoundary.ts';
import { LlmConfig } from '../llm/llmConfig.ts';
import { BreakersConfig } from '../doctor/breakerConfig.ts';
import { DoctorConfig } from '../doctor/doctorConfig.ts';
import { NotificationsConfig } from '../notify/notificationsConfig.ts';
import { NetworkConfig } from '../network/networkConfig.ts';

/**
 * The jobs.yaml schema: one source of truth for validation and for the types the engine
 * uses. Objects are strict, so a typo is an error with a "did you mean" hint (see
 * loadConfig), never a silently ignored key.
 */

export { duration };

const Id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    'use lowercase letters, digits, `-` and `_` (e.g. `hn-frontpage`)',
  );

export const RetryPolicy = z.strictObject({
  max_attempts: z.number().int().min(1).max(100).default(5),
  backoff: duration(
    '1ms',
    '24h',
    'the first retry waits this long, then twice as long each time',
  ).prefault('2s'),
  max_backoff: duration('1ms', '7d', 'the longest wait between two attempts').prefault('1h'),
});

/** A rate such as `60/min`, validated at load. */
const RateText = z.string().superRefine((v, ctx) => {
  try {
    const r = parseRate(v);
    if (r.perMs < 1000)
      ctx.addIssue({
        code: 'custom',
        message: `\`${v}\`: the window must be at least 1s (write \`10/s\` rather than \`1/100ms\`): shorter windows cannot be kept by a timer`,
      });
    else if (r.tokens > 1_000_000)
      ctx.addIssue({
        code: 'custom',
        message: `\`${v}\`: at most 1000000 per window (leave \`rate\` out for no limit)`,
      });
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

/** A shared limit (top-level `resources:`): concurrency cap and/or rate, across all jobs. */
export const ResourceConfig = z.strictObject({
  concurrency: z.number().int().min(1).max(10_000).optional(),
  rate: RateText.optional(),
  burst: z.number().int().min(1).max(1_000_000).optional(),
});

/** A stage's use of a shared resource: a name, or `{ name, per: host }` to key it per domain. */
export const ResourceUseConfig = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), per: z.enum(['host']).optional() }),
]);

export const StageConfig = z.strictObject({
  name: Id,
  /** A built-in handler (`builtin/fetch`); otherwise the job's handler module must export it. */
  uses: z.string().optional(),
  concurrency: z.number().int().min(1).max(1000).default(1),
  timeout: duration(
    '1s',
    '24h',
    'a shorter timeout kills runs before they can work; a run stuck for a day should be cut off',
  ).prefault('5m'),
  retry: RetryPolicy.prefault({}),
  /** Overrides the handler's version; bump it to mark results stale. */
  version: z.union([z.string(), z.number()]).optional(),
  allow_empty: z.boolean().default(false),
  params: z.record(z.string(), z.unknown()).default({}),
  /** Shared resources every run of this stage holds (see top-level `resources:`). */
  resources: z.array(ResourceUseConfig).default([]),
});

/** How re-discovery merges an item's data (see discovery/mergeProvenance.ts). */
export const MergePolicyConfig = z.strictObject({
  /** List fields unioned in order; `'*'` (default) = every list field. */
  union: z.union([z.literal('*'), z.array(z.string())]).optional(),
  /** Fields where the newest non-blank value wins (others keep the first value). */
  replace: z.array(z.string()).optional(),
});

export const DiscoveryConfig = z.strictObject({
  strategy: z.string(),
  params: z.record(z.string(), z.unknown()).default({}),
  every: duration(
    '1s',
    '24d',
    'more often hammers the source; for longer intervals use `cron` (a timer cannot wait longer)',
  ).optional(),
  /** A cron expression (`0 * * * *`) instead of `every`. */
  cron: z.string().optional(),
  /** Random delay added to each round so many jobs never fire together (default: 10% of the interval, at most 5m). */
  jitter: duration('0s', '1h', 'a random delay longer than an hour hides the schedule').optional(),
  /**
   * Raise "source went quiet" when no new item arrived for this long; `false` turns it off.
   * Default: 10 × the usual interval, at least 1d, at most 90d (discovery/quietAfter.ts).
   */
  quiet_after: z
    .union([
      duration('1s', '365d', 'a source quiet for over a year is gone, not quiet'),
      z.literal(false),
    ])
    .optional(),
  merge: MergePolicyConfig.optional(),
});

/** USD per day: above zero (leave it out for no limit), and a sum a person could mean. */
const CostLimit = z
  .number()
  .positive('a limit of 0 or less stops every paid call; leave it out for no limit')
  .max(100_000, 'more than $100000 a day is not a limit');

/** Limits that hold a job back; discovery skips a round while one is reached. */
export const GuardsConfig = z.strictObject({
  /** Skip discovery while this many items are unfinished (processing continues). */
  max_pending: z.number().int().min(1).max(10_000_000).optional(),
  /** USD per calendar day (in `timezone`); reaching it pauses the job until the next day. */
  daily_cost_limit: CostLimit.optional(),
});

/** add-URL routing: first matching rule wins; unmatched URLs go to `default` or are refused. */
export const RoutesConfig = z.strictObject({
  default: z.string().optional(),
  rules: z
    .array(
      z.strictObject({
        host: z.string().min(1).optional(),
        path: z.string().min(1).optional(),
        job: z.string().min(1),
      }),
    )
    .default([]),
});

export const JobConfig = z.strictObject({
  id: Id,
  title: z.string().optional(),
  emoji: z.string().optional(),
  enabled: z.boolean().default(true),
  /** Path of a handler module (TypeScript or JavaScript), relative to jobs.yaml. */
  handler: z
    .string()
    .min(1, 'write the path of the handler module, or leave `handler:` out')
    .optional(),
  discovery: DiscoveryConfig.optional(),
  /** `monitor` watches for new items; `backfill` pages through an archive and stops when done. */
  kind: z.enum(['monitor', 'backfill']).default('monitor'),
  /** Display label chaining jobs into a pipeline: `name/step`. */
  pipeline: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*\/[a-z0-9][a-z0-9_-]*$/, 'write `pipeline/step`, e.g. `news/score`')
    .optional(),
  guards: GuardsConfig.optional(),
  /** First matching rule sets a new item's priority (lower runs first) unless discovery set one. */
  priority_rules: z.array(PriorityRule).optional(),
  /** Free labels for grouping and filtering jobs in views. */
  tags: z.array(z.string().min(1)).default([]),
  stages: z.array(StageConfig).min(1, 'a job needs at least one stage'),
  /** stage → the stages it waits for. Without it, stages run in list order. */
  stage_deps: z.record(z.string(), z.array(z.string())).optional(),
  /** Per-class circuit breakers (see README, "The doctor"); defaults when omitted. */
  breakers: BreakersConfig.optional(),
});

export const ConfigFile = z.strictObject({
  data_dir: z.string().optional(),
  /** How long events (history, failures, discovery rounds) are kept. */
  events_retention: duration(
    '1h',
    '3650d',
    'history is deleted after it; shorter loses what a reader needs, longer than ten years is a typo',
  ).prefault('30d'),
  /** Shared limits by name: `{ openai: { concurrency: 4, rate: 60/min, burst: 5 } }`. */
  resources: z.record(z.string(), ResourceConfig).default({}),
  jobs: z.array(JobConfig).default([]),
  /** Desktop notifications: which levels, how often (see README, "The doctor"). */
  notifications: NotificationsConfig.optional(),
  /** The doctor's LLM classifier (provider, model, daily budget). */
  doctor: DoctorConfig.optional(),
  /** How an outage is told from one site being down (probe targets and cadence). */
  network: NetworkConfig.optional(),
  routes: RoutesConfig.optional(),
  /** LLM providers for `builtin/llm` and the doctor (see README, "Content stages"). */
  llm: LlmConfig.optional(),
  /** IANA zone that defines "today" for daily cost limits (default: the system's). */
  timezone: z
    .string()
    .refine(isValidTimeZone, 'unknown time zone (use an IANA name such as `Europe/Berlin`)')
    .optional(),
  /** USD per calendar day across all jobs; reaching it pauses every job until the next day. */
  daily_cost_limit: CostLimit.optional(),
});

export type RetryPolicy = z.output<typeof RetryPolicy>;
export type StageConfig = z.output<typeof StageConfig>;
export type JobConfig = z.output<typeof JobConfig>;
export type ConfigFile = z.output<typeof ConfigFile>;
