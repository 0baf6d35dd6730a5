import type { EventHub } from '../api/EventHub.svelte.ts';

/** 30 buckets of 10 s: the last five minutes, in a fixed amount of memory per job. */
export const BUCKETS = 30;
export const BUCKET_MS = 10_000;

/**
 * Completed stage runs per job over the last minutes, counted from the live progress events
 * (so it starts when the page opens; the engine keeps no per-run history to query cheaply).
 */
export class Throughput {
  /** jobId → counts, oldest first. */
  series = $state.raw<Record<string, number[]>>({});
  private readonly counts = new Map<string, number[]>();
  private bucketStart: number;
  private readonly off: () => void;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    events: EventHub,
    private readonly now: () => number = Date.now,
  ) {
    this.bucketStart = Math.floor(now() / BUCKET_MS) * BUCKET_MS;
    this.off = events.on(['progress'], (e) => {
      const stages = e.stages as Record<string, number> | undefined;
      if (!e.jobId || !stages) return;
      this.add(e.jobId, stages.done ?? 0);
    });
    this.timer = setInterval(() => this.roll(), BUCKET_MS);
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
    this.off();
    clearInterval(this.timer);
  }
}
