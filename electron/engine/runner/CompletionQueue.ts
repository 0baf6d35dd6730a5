import type { StageGraph } from '../config/stageGraph.ts';
import type { Logger } from '../log/logger.ts';
import type { ClaimRef, StageOutcome } from '../tracker/outcome.ts';
import type { ApplyReport, Tracker } from '../tracker/Tracker.ts';

export interface Completion {
  ref: ClaimRef;
  outcome: StageOutcome;
  graph: StageGraph;
}

/**
 * Batches stage completions into one transaction per turn of the event loop. Runs that end in
 * the same turn (ten no-op handlers resolving together) cost one commit instead of ten; that
 * batching is what lifts the pipeline from SQLite's ~70k commits/s to its ~0.5M rows/s.
 * The flush happens on setImmediate, so the hand-off to a dependent stays well under 1 ms.
 */
export class CompletionQueue {
  private pending: Completion[] = [];
  private scheduled = false;
  private failures = 0;
  private readonly drainedWaiters: (() => void)[] = [];

  constructor(
    private readonly tracker: Tracker,
    private readonly onApplied: (report: ApplyReport, batch: Completion[]) => void,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  push(c: Completion): void {
    this.pending.push(c);
    this.schedule(0);
  }

  /** Writes everything queued now (shutdown). */
  flushNow(): void {
    this.flush();
  }

  /** Resolves once the queue is empty (after the current batch commits). */
  drained(): Promise<void> {
    if (this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainedWaiters.push(resolve));
  }

  private schedule(delayMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (delayMs === 0) setImmediate(() => this.flush());
    else setTimeout(() => this.flush(), delayMs).unref();
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    let report: ApplyReport;
    try {
      report = this.tracker.applyOutcomes(batch);
      this.failures = 0;
    } catch (err) {
      // The transaction rolled back as a whole: every row is still `running` under our lease.
      // Keep the batch and try again with backoff (a full disk or a locked file can clear);
      // if this host dies meanwhile, the reaper hands the rows back — nothing is lost.
      this.failures++;
      this.pending = batch.concat(this.pending);
      const delay = Math.min(30_000, 100 * 2 ** Math.min(this.failures, 9));
      this.log.error(
        { err, batch: batch.length, retryInMs: delay },
        'writing stage outcomes failed; will retry',
      );
      this.schedule(delay);
      return;
    }
    this.onApplied(report, batch);
    if (this.pending.length === 0) for (const w of this.drainedWaiters.splice(0)) w();
  }
}
