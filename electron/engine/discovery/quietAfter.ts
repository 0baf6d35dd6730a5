import { Cron } from 'croner';

/**
 * "Source went quiet": how long a job may find nothing new before an alert. Set with
 * `quiet_after: 2d`, turned off with `quiet_after: false`, and otherwise derived from the
 * schedule, so a feed that silently died always raises an alert:
 *
 *   default = clamp(10 × the usual interval between rounds, 1 day, 90 days)
 *
 * - `every:` — the interval. `cron:` — the median gap between its next 25 fire times
 *   (croner), so `0 9 * * 1-5` counts as daily, not as the weekend's 3 days.
 * - ×10: a source that publishes less often than we look still gets ten rounds of grace.
 * - ≥ 1 day: a feed polled every minute is often quiet for hours (nights, weekends).
 * - ≤ 90 days: past a quarter nobody remembers to look, whatever the schedule says.
 *
 * No default where silence is normal: `manual` (items come by hand), `static` (a fixed list),
 * `directory` (a drop folder fills when a person drops files), `tracker_query` (it waits on
 * another job, which has its own alert), a `backfill` (it ends by exhausting its archive) and
 * a job with no schedule (it looks only at start and on wake).
 */
export const QUIET_FACTOR = 10;
export const QUIET_MIN_MS = 86_400_000;
export const QUIET_MAX_MS = 90 * 86_400_000;
/** Strategies whose silence is normal: no default alert. */
export const QUIET_BY_NATURE = new Set(['manual', 'static', 'directory', 'tracker_query']);
/** Fire times sampled to find a cron schedule's usual gap. */
const CRON_SAMPLES = 25;

export interface QuietConfig {
  strategy: string;
  every?: number | undefined;
  cron?: string | undefined;
  quiet_after?: number | false | undefined;
}

/** The effective `quiet_after`, and where it came from (`jobctl status` shows both). */
export type QuietAfter =
  { ms: number; source: 'config' | 'default' } | { ms: null; source: 'off' | 'none'; why: string };

export function quietAfterOf(
  d: QuietConfig,
  kind: 'monitor' | 'backfill',
  now = Date.now(),
): QuietAfter {
  if (d.quiet_after === false) return { ms: null, source: 'off', why: '`quiet_after: false`' };
  if (typeof d.quiet_after === 'number') return { ms: d.quiet_after, source: 'config' };
  if (QUIET_BY_NATURE.has(d.strategy))
    return { ms: null, source: 'none', why: `silence is normal for \`${d.strategy}\`` };
  if (kind === 'backfill')
    return { ms: null, source: 'none', why: 'a backfill ends by exhausting its archive' };
  const gap = usualInterval(d, now);
  if (gap === undefined)
    return { ms: null, source: 'none', why: 'no schedule (it looks only at start and on wake)' };
  return {
    ms: Math.min(QUIET_MAX_MS, Math.max(QUIET_MIN_MS, QUIET_FACTOR * gap)),
    source: 'default',
  };
}

/** The usual time between two rounds: `every`, or the median gap of a cron schedule. */
export function usualInterval(
  d: { every?: number | undefined; cron?: string | undefined },
  now = Date.now(),
): number | undefined {
  if (d.cron) {
    let runs: Date[];
    try {
      runs = new Cron(d.cron, { paused: true }).nextRuns(CRON_SAMPLES, new Date(now));
    } catch {
      // loadConfig validates cron expressions; an invalid one here has no usual interval.
      return undefined;
    }
    const gaps = runs
      .slice(1)
      .map((r, i) => r.getTime() - (runs[i] as Date).getTime())
      .sort((a, b) => a - b);
    return gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)] : undefined;
  }
  return d.every;
}
