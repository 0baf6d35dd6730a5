import type { Db } from '../db/openDatabase.ts';
import { dayStart, nextDayStart } from './dayBoundary.ts';

export interface CostLimits {
  /** USD per calendar day across all jobs. */
  global?: number;
  /** USD per calendar day, per job (`guards.daily_cost_limit`). */
  perJob: Map<string, number>;
  timeZone: string;
}

export interface LimitHit {
  jobId: string;
  scope: 'job' | 'global';
  spentUsd: number;
  limitUsd: number;
  /** When the job may run again (the next day boundary), in the engine's clock. */
  resumeAtMs: number;
}

/**
 * The daily cost limit. After each batch of completions the engine asks which jobs have hit
 * their limit; those pause with reason "daily cost limit" until the next midnight in the
 * configured zone, when the ordinary timed-pause expiry resumes them.
 *
 * The clock is injectable so tests cross a day boundary without waiting for one. Costs are
 * stamped with the engine's real clock, so windows are computed as "how long ago did today
 * start" on the injected clock and applied to the real one — identical when both are real.
 */
export class CostGuard {
  private readonly spentSince;
  private readonly spentAllSince;

  private readonly limitsNow: () => CostLimits;

  /** `limits` as a function reads the live config at every check, so a reload applies at once. */
  constructor(
    db: Db,
    limits: CostLimits | (() => CostLimits),
    private readonly clock: () => number = Date.now,
    private readonly realNow: () => number = Date.now,
  ) {
    this.spentSince = db.prepare(
      `SELECT coalesce(sum(usd), 0) AS usd FROM costs WHERE job_id = ? AND ts >= ?`,
    );
    this.spentAllSince = db.prepare(`SELECT coalesce(sum(usd), 0) AS usd FROM costs WHERE ts >= ?`);
    this.limitsNow = typeof limits === 'function' ? limits : () => limits;
  }

  get limits(): CostLimits {
    return this.limitsNow();
  }

  get active(): boolean {
    const l = this.limits;
    return l.global !== undefined || l.perJob.size > 0;
  }

  /** Start of today, in the engine's (real) clock. */
  private todayStartReal(timeZone = this.limits.timeZone): { start: number; resumeAt: number } {
    const now = this.clock();
    const real = this.realNow();
    return {
      start: real - (now - dayStart(now, timeZone)),
      resumeAt: real + (nextDayStart(now, timeZone) - now),
    };
  }

  spentToday(jobId?: string): number {
    const { start } = this.todayStartReal();
    const row = (jobId ? this.spentSince.get(jobId, start) : this.spentAllSince.get(start)) as {
      usd: number;
    };
    return row.usd;
  }

  /** Of the given jobs, those at or over a limit today (global first: it stops them all). */
  check(jobIds: Iterable<string>): LimitHit[] {
    const limits = this.limits;
    if (limits.global === undefined && limits.perJob.size === 0) return [];
    const { start, resumeAt } = this.todayStartReal(limits.timeZone);
    const hits: LimitHit[] = [];
    const ids = [...jobIds];
    if (limits.global !== undefined) {
      const spent = (this.spentAllSince.get(start) as { usd: number }).usd;
      if (spent >= limits.global) {
        for (const jobId of ids)
          hits.push({
            jobId,
            scope: 'global',
            spentUsd: spent,
            limitUsd: limits.global,
            resumeAtMs: resumeAt,
          });
        return hits;
      }
    }
    for (const jobId of ids) {
      const limit = limits.perJob.get(jobId);
      if (limit === undefined) continue;
      const spent = (this.spentSince.get(jobId, start) as { usd: number }).usd;
      if (spent >= limit)
        hits.push({ jobId, scope: 'job', spentUsd: spent, limitUsd: limit, resumeAtMs: resumeAt });
    }
    return hits;
  }
}
