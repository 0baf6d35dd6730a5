import type { Logger } from '../log/logger.ts';
import type { ReclaimedRow } from '../db/queries/reclaimExpired.ts';
import type { Tracker } from '../tracker/Tracker.ts';

/**
 * The reaper: one statement (reclaimExpired), one timer. A `running` row whose host died or
 * whose lease expired goes back to `pending` with its attempt refunded and its crash counted,
 * or is quarantined (`failed`) after `tracker.quarantineAfter` consecutive host deaths
 * (QUARANTINE_AFTER_CRASHES, 3, unless the engine option `quarantineAfterCrashes` says otherwise).
 *
 * Trade-off: the lease (30 s by default) is extended every lease/3 by the host heartbeat, so
 * only a dead or frozen host loses leases, and only to another host: a host never reaps its own
 * rows (reclaimExpired.ts). A frozen-then-thawed host may then run an item twice, and its late
 * completion is rejected by the ownership guard. Running twice beats losing it.
 */
export class Reaper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tracker: Tracker,
    /** This host's lease owner: its own rows are kept alive by its heartbeat, never reaped. */
    private readonly owner: string,
    private readonly onReclaimed: (
      rows: { jobId: string; stage: string; status: string }[],
    ) => void,
    private readonly log: Logger,
  ) {}

  /**
   * Reclaims now: rows of other owners whose lease expired, or with `startup`, every running
   * row another owner holds (the host before us is gone, so they are ours to redo at once).
   */
  reap(now = Date.now(), startup = false): number {
    // The rows and their events commit together: a crash between them cannot leave a
    // quarantined row without the event that says why.
    const rows = this.tracker.db
      .transaction(() => {
        const reclaimed = this.tracker.reclaimExpired({
          now,
          owner: this.owner,
          startup,
        });
        for (const r of reclaimed) this.recordEvents(r, now);
        return reclaimed;
      })
      .immediate();
    if (rows.length > 0) {
      const quarantined = rows.filter((r) => r.status === 'failed').length;
      this.log.warn({ count: rows.length, quarantined, startup }, 'reclaimed expired leases');
      this.onReclaimed(rows);
    }
    return rows.length;
  }

  private recordEvents(r: ReclaimedRow, now: number): void {
    const at = { jobId: r.jobId, itemId: r.itemId, stage: r.stage };
    this.tracker.event(
      { ...at, kind: 'lease_reclaimed', data: { to: r.status, crashes: r.crashes } },
      now,
    );
    if (r.status === 'failed') {
      this.tracker.event(
        { ...at, kind: 'stage_quarantined', data: { crashes: r.crashes, reason: r.error } },
        now,
      );
    }
  }

  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => {
      try {
        this.reap();
      } catch (err) {
        // A failed sweep (locked file) is retried on the next tick; nothing was changed.
        this.log.error({ err }, 'reaper sweep failed');
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
