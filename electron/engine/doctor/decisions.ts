import type { Db } from '../db/openDatabase.ts';
import { listBreakersInDb, type Streak } from './Breakers.ts';
import { selectDecisionsForItemSql } from './queries/selectDecisionsForItem.ts';
import { selectFailureGroupsSql } from './queries/selectFailureGroups.ts';

/** The correction a person taught for a signature (`jobctl doctor teach`), shown beside it. */
export interface TaughtMark {
  class: string;
  /** null: the class's usual action. */
  action: string | null;
}

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
  /** The correction taught for its signature since (null: none); absent from older hosts. */
  taught?: TaughtMark | null;
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
  /** The correction taught for the signature (null: none): later errors follow it. */
  taught: TaughtMark | null;
}

export interface FailuresResult {
  jobId: string;
  groups: FailureGroup[];
  /** Open breaker streaks: errors since the last success or clear, per class. */
  streaks: Streak[];
}

/** The taughtClass/taughtAction columns both queries add, as one field. */
type WithTaught<T> = Omit<T, 'taught'> & {
  taughtClass: string | null;
  taughtAction: string | null;
};

function taught<T>({ taughtClass, taughtAction, ...rest }: WithTaught<T>) {
  return { ...rest, taught: taughtClass ? { class: taughtClass, action: taughtAction } : null };
}

export function itemDecisions(db: Db, itemId: number, limit = 50): DoctorDecisionRow[] {
  const rows = db.prepare(selectDecisionsForItemSql).all({ itemId, limit }) as WithTaught<
    Omit<DoctorDecisionRow, 'paused'> & { paused: number }
  >[];
  return rows.map((r) => ({ ...taught(r), paused: r.paused === 1 }));
}

export function failures(db: Db, jobId: string, sinceMs = 0, limit = 50): FailuresResult {
  const rows = db
    .prepare(selectFailureGroupsSql)
    .all({ jobId, since: sinceMs, limit }) as WithTaught<FailureGroup>[];
  return { jobId, groups: rows.map(taught), streaks: listBreakersInDb(db, jobId) };
}
