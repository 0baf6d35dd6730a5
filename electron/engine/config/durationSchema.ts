import { z } from 'zod';
import { formatDuration, parseDuration } from './duration.ts';

/**
 * A duration in jobs.yaml (`30s`, `5m`, `1h30m`), parsed to milliseconds and held to a range.
 * Every duration has bounds, with the reason in the error: `timeout: 30d` overflows Node's
 * timers (every run then fails at once) and `timeout: 0s` times every run out. The range is
 * kept as schema metadata (`durationRange`), so the docs and the schema-walking tests see it.
 */
export function duration(min: string, max: string, why: string) {
  const lo = parseDuration(min);
  const hi = parseDuration(max);
  return z
    .string({
      error: (issue) =>
        typeof issue.input === 'number'
          ? `\`${issue.input}\` has no unit: write e.g. \`${issue.input}s\`, \`${issue.input}m\` or \`${issue.input}h\``
          : `expected a duration such as \`30s\`, \`5m\` or \`3h\``,
    })
    .transform((text, ctx) => {
      let ms: number;
      try {
        ms = parseDuration(text);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
      if (!(ms >= lo && ms <= hi)) {
        ctx.addIssue({
          code: 'custom',
          message: `\`${text}\` is out of range: use between ${min} and ${max} (${why})`,
        });
        return z.NEVER;
      }
      return ms;
    })
    .meta({ durationRange: `${formatDuration(lo)}–${formatDuration(hi)}` });
}

/** What a timer can hold: setTimeout overflows past 2^31-1 ms (~24.8 days). */
export const TIMER_MAX = '24d';
