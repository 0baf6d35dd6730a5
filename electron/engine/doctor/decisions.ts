import type { Db } from '../db/openDatabase.ts';
import { listBreakersInDb, type Streak } from './Breakers.ts';
import { selectDecisionsForItemSql } from './queries/selectDecisionsForItem.ts';
import { selectFailureGroupsSql } from './queries/selectFailureGroups.ts';

/** One stored doctor decision, as shown with an item. */
export interface DoctorDecisionRow {
  ts: number;
  stage: string | null;
  attempt: number | null;
  signature: string;
  class: string;
  action: string;
  source: string;
  confidence: number | null;
  rule: string | null;
  message: string | null;
  /** This decision paused the job. */
  paused: boolean;
}

/** Errors of one class and signature in a job (`jobctl failures`). */
export interface FailureGroup {
  class: string;
  signature: string;
  count: number;
  items: number;
  firstAt: number;
  lastAt: number;
  source: string;
  action: string;
  stage: string | null;
  example: string | null;
}

export interface FailuresResult {
  jobId: string;
  groups: FailureGroup[];
  /** Open breaker streaks: errors since the last success or clear, per class. */
  streaks: Streak[];
}

export function itemDecisions(db: Db, itemId: number, limit = 50): DoctorDecisionRow[] {
  const rows = db.prepare(selectDecisionsForItemSql).all({ itemId, limit }) as (Omit<
    DoctorDecisionRow,
    'paused'
  > & { paused: number })[];
  return rows.map((r) => ({ ...r, paused: r.paused === 1 }));
}

export function failures(db: Db, jobId: string, sinceMs = 0, limit = 50): FailuresResult {
  return {
    jobId,
    groups: db
      .prepare(selectFailureGroupsSql)
      .all({ jobId, since: sinceMs, limit }) as FailureGroup[],
    streaks: listBreakersInDb(db, jobId),
  };
}
