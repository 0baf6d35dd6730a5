import type { Db } from '../db/openDatabase.ts';
import { BREAKER_CLASSES, type BreakerClass, type ResolvedThreshold } from './breakerConfig.ts';
import { bumpBreakerSql } from './queries/bumpBreaker.ts';
import { clearBreakersSql, clearJobStreaksSql } from './queries/clearBreakers.ts';
import { selectBreakersSql } from './queries/selectBreakers.ts';

export interface Streak {
  class: string;
  count: number;
  firstAt: number;
  lastAt: number;
}

/** Where streaks live: the database for a host, memory for a doctor without one. */
interface StreakStore {
  bump(
    jobId: string,
    cls: string,
    now: number,
    windowStart: number,
  ): { count: number; firstAt: number };
  clear(jobId: string, cls: string | null): number;
  /** Ends the job-wide streaks, keeping per-site ones (`class@host`). */
  clearJobWide(jobId: string): number;
  list(jobId: string): Streak[];
}

/**
 * Per-job, per-class circuit breakers. Each error of a class extends that class's streak;
 * a streak reaching its threshold trips (the doctor pauses the job) and starts over, so
 * runs still in flight when the pause lands do not trip it again. A success anywhere in
 * the job ends every streak (see Doctor.attach), as does `jobctl clear-errors`.
 */
export class Breakers {
  private store: StreakStore = memoryStore();
  /** Jobs known to have no streak, so a success does not cost a write. */
  private readonly clean = new Set<string>();
  /** Job and site pairs with a per-site streak counted by this process. */
  private readonly openSites = new Set<string>();

  useDb(db: Db): void {
    this.store = dbStore(db);
    this.clean.clear();
    this.openSites.clear();
    // Per-site streaks survive a restart; a success on that site must still end them.
    const open = db
      .prepare(`SELECT job_id AS jobId, class FROM doctor_breakers WHERE instr(class, '@') > 0`)
      .all() as { jobId: string; class: string }[];
    for (const r of open)
      this.openSites.add(`${r.jobId}\u0000${r.class.slice(r.class.indexOf('@') + 1)}`);
  }

  /**
   * Counts one error; returns the streak length, when it began and whether it just tripped.
   * `site` keeps a separate streak per site (`systemic@example.com`) that only a success on
   * that site ends.
   */
  record(
    jobId: string,
    cls: BreakerClass,
    threshold: ResolvedThreshold | null,
    now: number,
    site?: string,
  ): { count: number; firstAt: number; tripped: boolean } {
    const key = site ? `${cls}@${site}` : cls;
    if (site) this.openSites.add(`${jobId}\u0000${site}`);
    else this.clean.delete(jobId);
    const windowStart = threshold?.withinMs !== undefined ? now - threshold.withinMs : 0;
    const { count, firstAt } = this.store.bump(jobId, key, now, windowStart);
    const tripped = threshold !== null && count >= threshold.count;
    if (tripped) this.store.clear(jobId, key);
    return { count, firstAt, tripped };
  }

  /** A success: ends the job's streaks (one DELETE, skipped when nothing is counted). */
  success(jobId: string): void {
    if (this.clean.has(jobId)) return;
    this.store.clearJobWide(jobId);
    this.clean.add(jobId);
  }

  /** A success on one site: ends that site's streaks (skipped when none is open here). */
  siteSuccess(jobId: string, site: string): void {
    const k = `${jobId}\u0000${site}`;
    if (!this.openSites.has(k)) return;
    this.openSites.delete(k);
    for (const cls of BREAKER_CLASSES) this.store.clear(jobId, `${cls}@${site}`);
  }

  /** `jobctl clear-errors`: returns how many streaks were open. */
  clear(jobId: string): number {
    const n = this.store.clear(jobId, null);
    this.clean.add(jobId);
    for (const k of [...this.openSites])
      if (k.startsWith(`${jobId}\u0000`)) this.openSites.delete(k);
    return n;
  }

  list(jobId: string): Streak[] {
    return this.store.list(jobId);
  }
}

/** Clears a job's streaks straight in the database (the CLI without a running host). */
export function clearBreakersInDb(db: Db, jobId: string): number {
  return db.prepare(clearBreakersSql).run({ jobId, class: null }).changes;
}

export function listBreakersInDb(db: Db, jobId: string): Streak[] {
  return db.prepare(selectBreakersSql).all({ jobId }) as Streak[];
}

function dbStore(db: Db): StreakStore {
  const bump = db.prepare(bumpBreakerSql);
  const clear = db.prepare(clearBreakersSql);
  const clearJobWide = db.prepare(clearJobStreaksSql);
  return {
    clearJobWide: (jobId) => clearJobWide.run({ jobId }).changes,
    bump: (jobId, cls, now, windowStart) =>
      bump.get({ jobId, class: cls, now, windowStart }) as { count: number; firstAt: number },
    clear: (jobId, cls) => clear.run({ jobId, class: cls }).changes,
    list: (jobId) => listBreakersInDb(db, jobId),
  };
}

function memoryStore(): StreakStore {
  const m = new Map<string, Streak>();
  return {
    bump(jobId, cls, now, windowStart) {
      const k = `${jobId}\0${cls}`;
      const s = m.get(k);
      const next =
        !s || s.firstAt < windowStart
          ? { class: cls, count: 1, firstAt: now, lastAt: now }
          : { ...s, count: s.count + 1, lastAt: now };
      m.set(k, next);
      return next;
    },
    clear(jobId, cls) {
      let n = 0;
      for (const k of [...m.keys()]) {
        if (k.startsWith(`${jobId}\0`) && (cls === null || k === `${jobId}\0${cls}`)) {
          m.delete(k);
          n++;
        }
      }
      return n;
    },
    clearJobWide(jobId) {
      let n = 0;
      for (const [k, v] of [...m.entries()]) {
        if (k.startsWith(`${jobId}\0`) && !v.class.includes('@')) {
          m.delete(k);
          n++;
        }
      }
      return n;
    },
    list: (jobId) => [...m.entries()].filter(([k]) => k.startsWith(`${jobId}\0`)).map(([, v]) => v),
  };
}
