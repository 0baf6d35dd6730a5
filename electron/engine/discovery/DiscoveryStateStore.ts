import type { Db } from '../db/openDatabase.ts';
import {
  countUnfinishedItemsSql,
  saveDiscoveryStateSql,
  selectDiscoveryStateSql,
} from '../db/queries/discoveryState.ts';

/** A job's discovery bookkeeping: what `jobctl why` and the dashboard read. */
export interface DiscoveryStateRow {
  jobId: string;
  /** The strategy's own memory (ETag, cursors, backfill page). */
  state: Record<string, unknown>;
  lastRoundAt: number | null;
  lastOkAt: number | null;
  /** Last round that inserted at least one new item ("source went quiet" measures from it). */
  lastNewAt: number | null;
  lastError: string | null;
  /** Consecutive failed rounds (drives the backoff). */
  failures: number;
  /** No round before this (429 Retry-After, error backoff). */
  backoffUntil: number | null;
  /** Why the last due round did not run (`max_pending: 500 of 500 unfinished`), until one runs. */
  skippedReason: string | null;
  skippedAt: number | null;
  /** Backfill: the archive has no more pages; no more rounds. */
  exhaustedAt: number | null;
  quietAlertedAt: number | null;
  nextRoundAt: number | null;
}

export function emptyDiscoveryState(jobId: string): DiscoveryStateRow {
  return {
    jobId,
    state: {},
    lastRoundAt: null,
    lastOkAt: null,
    lastNewAt: null,
    lastError: null,
    failures: 0,
    backoffUntil: null,
    skippedReason: null,
    skippedAt: null,
    exhaustedAt: null,
    quietAlertedAt: null,
    nextRoundAt: null,
  };
}

/** Reads and writes discovery_state and counts a job's unfinished items. */
export class DiscoveryStateStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      select: db.prepare(selectDiscoveryStateSql),
      save: db.prepare(saveDiscoveryStateSql),
      unfinished: db.prepare(countUnfinishedItemsSql),
    };
  }

  load(jobId: string): DiscoveryStateRow {
    const row = this.s.select.get({ jobId }) as
      (Omit<DiscoveryStateRow, 'state'> & { state: string }) | undefined;
    if (!row) return emptyDiscoveryState(jobId);
    return { ...row, state: JSON.parse(row.state) as Record<string, unknown> };
  }

  save(row: DiscoveryStateRow, now = Date.now()): void {
    this.s.save.run({ ...row, state: JSON.stringify(row.state ?? {}), now });
  }

  /** Unfinished items of a job, counted up to `limit`. */
  unfinished(jobId: string, limit: number): number {
    return (this.s.unfinished.get({ jobId, limit }) as { n: number }).n;
  }
}

/** For readers without an engine (`jobctl why`, the dashboard's read model). */
export function readDiscoveryState(db: Db, jobId: string): DiscoveryStateRow | undefined {
  const exists = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'discovery_state'`)
    .get();
  if (!exists) return undefined;
  const row = new DiscoveryStateStore(db).load(jobId);
  return row.lastRoundAt === null && row.skippedAt === null ? undefined : row;
}
