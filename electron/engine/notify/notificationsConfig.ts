import { z } from 'zod';
import { parseDuration } from '../config/duration.ts';
import { NOTIFY_LEVELS } from './Notifier.ts';

/** `1/10m` → at most one notification per ten minutes. */
const Rate = z.string().transform((s, ctx) => {
  const m = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(s);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'write a rate as COUNT/DURATION, e.g. `1/10m`' });
    return z.NEVER;
  }
  try {
    const count = Number(m[1]);
    const perMs = parseDuration(m[2]!);
    if (count < 1 || count > 1000 || perMs < 1000 || perMs > 86_400_000) {
      ctx.addIssue({
        code: 'custom',
        message: `\`${s}\`: between 1 and 1000 notifications per window of 1s to 1d`,
      });
      return z.NEVER;
    }
    return { count, perMs };
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

/** The top-level `notifications:` key of jobs.yaml. */
export const NotificationsConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** info: also temporal pauses; warning: cost limits, error storms; error: only what needs a person now. */
  min_level: z.enum(NOTIFY_LEVELS).default('warning'),
  rate_limit: Rate.prefault('1/10m'),
});
export type NotificationsConfig = z.output<typeof NotificationsConfig>;

export const DEFAULT_NOTIFICATIONS: NotificationsConfig = {
  enabled: true,
  min_level: 'warning',
  rate_limit: { count: 1, perMs: 10 * 60_000 },
};
