import type { Db } from '../db/openDatabase.ts';
import { pruneEventsSql } from '../db/queries/pruneEvents.ts';
import type { Logger } from '../log/logger.ts';

/**
 * Keeps the append-only events table bounded: once an hour (and at start), events older than
 * the retention are deleted, 5,000 per transaction, yielding to the engine between chunks.
 */
export class EventPruner {
  private timer: NodeJS.Timeout | undefined;
  private first: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly db: Db,
    private readonly retentionMs: () => number,
    private readonly log: Logger,
  ) {}

  start(intervalMs = 3_600_000): void {
    this.timer = setInterval(() => void this.prune(), intervalMs);
    this.timer.unref();
    this.first = setTimeout(() => void this.prune(), 5_000);
    this.first.unref();
  }

  stop(): void {
    // A host stopped within 5 s of its start must not prune a closed database.
    clearTimeout(this.first);
    if (this.timer) clearInterval(this.timer);
  }

  /** Deletes everything older than the retention; returns how many events went. */
  async prune(now = Date.now()): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let total = 0;
    try {
      const stmt = this.db.prepare(pruneEventsSql);
      const before = now - this.retentionMs();
      for (;;) {
        if (!this.db.open) break;
        const n = stmt.run({ before, limit: 5000 }).changes;
        total += n;
        if (n < 5000) break;
        await new Promise((r) => setImmediate(r));
      }
      if (total > 0) this.log.info({ deleted: total }, 'pruned old events');
    } catch (err) {
      // A locked or closing database: the next hourly sweep tries again; nothing depends on it.
      this.log.warn({ err }, 'pruning events failed');
    } finally {
      this.running = false;
    }
    return total;
  }
}
