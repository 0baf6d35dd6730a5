import type { ThroughputResult } from '../../../../electron/engine/api/types.ts';
import type { EventHub } from '../api/EventHub.svelte.ts';

/** 30 buckets of one minute: the last half hour, in a fixed amount of memory per job. */
export const BUCKETS = 30;
export const BUCKET_MS = 60_000;

/**
 * Completed stage runs per job over the last half hour, for the overview's sparklines. The
 * history comes from the host (`throughput`, summed from the batched `stages_done` events),
 * fetched when the page opens and after a reconnect; between fetches the live `progress`
 * events add to the current bucket, so the line moves without polling.
 */
export class Throughput {
  /** jobId → counts, oldest first. */
  series = $state.raw<Record<string, number[]>>({});
  private counts = new Map<string, number[]>();
  private bucketStart: number;
  private readonly off: () => void;
  private readonly timer: ReturnType<typeof setInterval>;
  private disposed = false;

  constructor(
    events: EventHub,
    private readonly history?: () => Promise<ThroughputResult>,
    private readonly now: () => number = Date.now,
  ) {
    this.bucketStart = Math.floor(now() / BUCKET_MS) * BUCKET_MS;
    this.off = events.on(['progress'], (e) => {
      if (e.type === 'reconnect') {
        void this.load();
        return;
      }
      const stages = e.stages as Record<string, number> | undefined;
      if (!e.jobId || !stages) return;
      this.add(e.jobId, stages.done ?? 0);
    });
    this.timer = setInterval(() => this.roll(), BUCKET_MS);
    void this.load();
  }

  /** Replaces the series with the host's history (aligned to the same minute buckets). */
  async load(): Promise<void> {
    if (!this.history) return;
    let h: ThroughputResult;
    try {
      h = await this.history();
    } catch {
      // An older host without the query, or a blip: keep counting live events only.
      return;
    }
    if (this.disposed || h.bucketMs !== BUCKET_MS) return;
    this.roll();
    const first = this.bucketStart - (BUCKETS - 1) * BUCKET_MS;
    const next = new Map<string, number[]>();
    for (const [job, values] of Object.entries(h.series)) {
      const c = new Array<number>(BUCKETS).fill(0);
      values.forEach((v, i) => {
        const at = Math.round((h.since + i * BUCKET_MS - first) / BUCKET_MS);
        if (at >= 0 && at < BUCKETS) c[at] = v;
      });
      next.set(job, c);
    }
    this.counts = next;
    this.publish();
  }

  add(jobId: string, n: number): void {
    this.roll();
    let c = this.counts.get(jobId);
    if (!c) this.counts.set(jobId, (c = new Array<number>(BUCKETS).fill(0)));
    c[BUCKETS - 1] = (c[BUCKETS - 1] ?? 0) + n;
    this.publish();
  }

  private roll(): void {
    const current = Math.floor(this.now() / BUCKET_MS) * BUCKET_MS;
    const steps = Math.min(BUCKETS, Math.round((current - this.bucketStart) / BUCKET_MS));
    if (steps <= 0) return;
    this.bucketStart = current;
    for (const c of this.counts.values()) {
      c.splice(0, steps);
      while (c.length < BUCKETS) c.push(0);
    }
    this.publish();
  }

  private publish(): void {
    this.series = Object.fromEntries([...this.counts].map(([k, v]) => [k, [...v]]));
  }

  dispose(): void {
    this.disposed = true;
    this.off();
    clearInterval(this.timer);
  }
}
