import { z } from 'zod';
import { duration } from '../config/durationSchema.ts';

/**
 * One class's breaker: `3` (three in a row pause the job), `false` (never pause), or
 * `{ count: 20, within: 5m, pause: 15m }` — the streak must fit in `within`, and the pause
 * lifts by itself after `pause` (omitted: until a person resumes the job).
 */
const Threshold = z.union([
  z.number().int().min(1).max(100_000),
  z.literal(false),
  z.strictObject({
    count: z.number().int().min(1).max(100_000),
    within: duration('1s', '7d', 'the window the errors are counted in').optional(),
    pause: duration('1s', '30d', 'how long the job then pauses').optional(),
  }),
]);

/** The `breakers:` key of a job in jobs.yaml. */
export const BreakersConfig = z.strictObject({
  transient: Threshold.optional(),
  rate_limited: Threshold.optional(),
  item_specific: Threshold.optional(),
  systemic: Threshold.optional(),
  code_bug: Threshold.optional(),
});
export type BreakersConfig = z.output<typeof BreakersConfig>;

export type BreakerClass = keyof BreakersConfig;
export const BREAKER_CLASSES: readonly BreakerClass[] = [
  'transient',
  'rate_limited',
  'item_specific',
  'systemic',
  'code_bug',
];

export interface ResolvedThreshold {
  count: number;
  withinMs?: number;
  pauseMs?: number;
}

/**
 * Defaults: one code bug is enough (the next item will crash the same way); three systemic
 * errors (one could be a blip); twenty transient errors inside five minutes mean the
 * service is down, not flaky — pause 15 minutes instead of burning every item's attempts.
 * Item-specific errors never pause: a bad item says nothing about the next one.
 */
export const DEFAULT_BREAKERS: Record<BreakerClass, ResolvedThreshold | null> = {
  transient: { count: 20, withinMs: 5 * 60_000, pauseMs: 15 * 60_000 },
  rate_limited: { count: 30, withinMs: 10 * 60_000, pauseMs: 15 * 60_000 },
  item_specific: null,
  systemic: { count: 3 },
  code_bug: { count: 1 },
};

export function resolveBreakers(
  cfg: BreakersConfig | undefined,
): Record<BreakerClass, ResolvedThreshold | null> {
  const out = { ...DEFAULT_BREAKERS };
  for (const cls of BREAKER_CLASSES) {
    const v = cfg?.[cls];
    if (v === undefined) continue;
    if (v === false) out[cls] = null;
    else if (typeof v === 'number') out[cls] = { count: v };
    else
      out[cls] = {
        count: v.count,
        ...(v.within !== undefined ? { withinMs: v.within } : {}),
        ...(v.pause !== undefined ? { pauseMs: v.pause } : {}),
      };
  }
  return out;
}
