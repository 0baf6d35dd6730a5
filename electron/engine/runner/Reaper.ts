import type { Logger } from '../log/logger.ts';
import type { Tracker } from '../tracker/Tracker.ts';

/**
 * The reaper: one statement (reclaimExpired), one timer. A `running` row whose lease has
 * expired goes back to `pending` (or `dead` when it has used all its attempts).
 *
 * Trade-off: the lease (30 s by default) is extended every lease/3 by the host heartbeat, so
 * only a dead or frozen host loses leases; a frozen-then-thawed host may run an item twice,
 * and its late completion is rejected by the ownership guard. Running twice beats losing it.
 */
export class Reaper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tracker: Tracker,
    private readonly maxAttempts: () => Record<string, number>,
    private readonly onReclaimed: (
      rows: { jobId: string; stage: string; status: string }[],
    ) => void,
    private readonly log: Logger,
  ) {}

  /** Reclaims now. With `notOwner`, every running row not held by that owner (host start). */
  reap(now = Date.now(), notOwner: string | null = null): number {
    const rows = this.tracker.reclaimExpired({
      now,
      maxAttempts: this.maxAttempts(),
      defaultMax: 5,
      notOwner,
    });
    if (rows.length > 0) {
      for (const r of rows) {
        this.tracker.event(
          {
            jobId: r.jobId,
            itemId: r.itemId,
            stage: r.stage,
            kind: 'lease_reclaimed',
            data: { to: r.status },
          },
          now,
        );
      }
      this.log.warn({ count: rows.length, startup: notOwner !== null }, 'reclaimed expired leases');
      this.onReclaimed(rows);
    }
    return rows.length;
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
