import type { ClaimedRow } from '../db/queries/claimStages.ts';
import type { Logger } from '../log/logger.ts';
import type { ApplyReport, Completed, Tracker } from '../tracker/Tracker.ts';

export type Completion = Completed;

/** What the loop needs from a stage worker. */
export interface Claimer {
  readonly key: string;
  /** Claims rows for its free slots (inside the loop's transaction); [] when it cannot. */
  claimInTx(now: number): ClaimedRow[];
  /** Starts runs for rows claimed in the transaction that just committed. */
  startRows(rows: ClaimedRow[]): void;
  /** Its claim found nothing. */
  noteEmpty(): void;
  /** The transaction rolled back: undo in-memory effects of the claim (resource slots). */
  rollbackClaim(): void;
}

/**
 * The engine's write loop: once per turn of the event loop, ONE immediate transaction writes
 * every stage outcome that ended in that turn (result, promotion of dependents, event) and
 * then claims work for every worker with free slots — including the dependents just
 * promoted, so a hand-off from one stage to the next happens inside the same commit.
 *
 * Why one transaction: SQLite's cost here is per commit (~15–20 µs plus page writes), not
 * per row; a turn that ends 30 runs and refills 30 slots costs one commit instead of 34.
 */
export class TickLoop {
  private completions: Completion[] = [];
  private wanting = new Set<Claimer>();
  private scheduled = false;
  private failures = 0;
  private drainedWaiters: (() => void)[] = [];

  constructor(
    private readonly tracker: Tracker,
    private readonly workerFor: (key: string) => Claimer | undefined,
    private readonly onApplied: (report: ApplyReport, batch: Completion[]) => void,
    private readonly log: Logger,
  ) {}

  /** Outcomes waiting to be written. */
  get size(): number {
    return this.completions.length;
  }

  push(c: Completion): void {
    this.completions.push(c);
    this.schedule(0);
  }

  wantClaim(w: Claimer): void {
    this.wanting.add(w);
    this.schedule(0);
  }

  /** Writes everything queued now (shutdown). */
  flushNow(): void {
    this.tick();
  }

  /** Resolves once no outcome is waiting to be written. */
  drained(): Promise<void> {
    if (this.completions.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainedWaiters.push(resolve));
  }

  private schedule(delayMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (delayMs === 0) setImmediate(() => this.tick());
    else setTimeout(() => this.tick(), delayMs).unref();
  }

  private tick(): void {
    this.scheduled = false;
    if (this.completions.length === 0 && this.wanting.size === 0) return;
    const batch = this.completions;
    const wanting = this.wanting;
    this.completions = [];
    this.wanting = new Set();
    const claimed: [Claimer, ClaimedRow[]][] = [];
    const empty: Claimer[] = [];
    let report: ApplyReport | undefined;
    const now = Date.now();
    try {
      this.tracker.db
        .transaction(() => {
          report = this.tracker.applyOutcomesInTx(batch, now);
          for (const key of report.woken) {
            const w = this.workerFor(key);
            if (w) wanting.add(w);
          }
          for (const w of wanting) {
            const rows = w.claimInTx(now);
            if (rows.length > 0) claimed.push([w, rows]);
            else empty.push(w);
          }
        })
        .immediate();
      this.failures = 0;
    } catch (err) {
      // The transaction rolled back as a whole: outcomes are still unwritten (their rows are
      // `running` under our lease) and nothing was claimed. Keep both and try again with
      // backoff (a full disk or a locked file can clear); if this host dies meanwhile, the
      // reaper hands the rows back — nothing is lost.
      this.failures++;
      this.completions = batch.concat(this.completions);
      for (const w of wanting) {
        w.rollbackClaim();
        this.wanting.add(w);
      }
      const delay = Math.min(30_000, 100 * 2 ** Math.min(this.failures, 9));
      this.log.error(
        { err, batch: batch.length, retryInMs: delay },
        'engine write failed; will retry',
      );
      this.schedule(delay);
      return;
    }
    if (report) this.onApplied(report, batch);
    for (const [w, rows] of claimed) w.startRows(rows);
    for (const w of empty) w.noteEmpty();
    if (this.completions.length === 0) for (const d of this.drainedWaiters.splice(0)) d();
  }
}
