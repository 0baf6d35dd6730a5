import { Cron } from 'croner';

/** The parts of a job's discovery config that decide *when* (jobs.yaml `discovery:`). */
export interface ScheduleConfig {
  every?: number | undefined;
  cron?: string | undefined;
  jitter?: number | undefined;
}

/** A backfill job without `every`/`cron` reads one page a minute: slow enough to be polite. */
export const BACKFILL_DEFAULT_EVERY_MS = 60_000;
const MAX_DEFAULT_JITTER_MS = 5 * 60_000;

/**
 * Milliseconds until the next round after one that just ended, or undefined when the job
 * has no schedule (it discovers once at start, and on wake). Jitter is random in
 * [0, jitter): by default 10% of the interval, at most 5 minutes, so a hundred hourly jobs
 * spread over six minutes instead of firing in the same second.
 */
export function nextRoundDelay(
  cfg: ScheduleConfig,
  kind: 'monitor' | 'backfill',
  now = Date.now(),
  random: () => number = Math.random,
): number | undefined {
  const base = baseDelay(cfg, kind, now);
  if (base === undefined) return undefined;
  const jitter = cfg.jitter ?? Math.min(base * 0.1, MAX_DEFAULT_JITTER_MS);
  return Math.round(base + random() * jitter);
}

/** The interval without jitter: `every`, the gap to the next cron time, or the backfill default. */
export function baseDelay(
  cfg: ScheduleConfig,
  kind: 'monitor' | 'backfill',
  now = Date.now(),
): number | undefined {
  if (cfg.cron) {
    const next = new Cron(cfg.cron, { paused: true }).nextRun(new Date(now));
    return next ? Math.max(0, next.getTime() - now) : undefined;
  }
  if (cfg.every !== undefined) return cfg.every;
  return kind === 'backfill' ? BACKFILL_DEFAULT_EVERY_MS : undefined;
}

/**
 * Delay of the first round after a (re)start: a job whose last round is recent waits for
 * its turn instead of hammering the source on every restart; a job never run, or overdue,
 * goes now plus an explicit jitter (so a restart of many jobs is spread too).
 */
export function firstRoundDelay(
  cfg: ScheduleConfig,
  kind: 'monitor' | 'backfill',
  lastRoundAt: number | null,
  now = Date.now(),
  random: () => number = Math.random,
): number {
  const jitter = Math.round(random() * (cfg.jitter ?? 0));
  if (lastRoundAt === null) return jitter;
  if (cfg.cron) {
    // Missed a cron time while stopped: run now; otherwise wait for the next one.
    const missed = new Cron(cfg.cron, { paused: true }).nextRun(new Date(lastRoundAt));
    if (missed && missed.getTime() <= now) return jitter;
    return (baseDelay(cfg, kind, now) ?? 0) + jitter;
  }
  const every = baseDelay(cfg, kind, now);
  if (every === undefined) return jitter;
  return Math.max(0, lastRoundAt + every - now) + jitter;
}
