/**
 * After sleep, every job is overdue at once. Instead of firing all discovery rounds in the
 * same second (a thundering herd on the network the laptop just rejoined), each job is woken
 * at a random moment within a jitter window.
 */
export function planCatchUp(
  jobIds: string[],
  jitterMs: number,
  random: () => number = Math.random,
): { jobId: string; delayMs: number }[] {
  return jobIds
    .map((jobId) => ({ jobId, delayMs: Math.floor(random() * jitterMs) }))
    .sort((a, b) => a.delayMs - b.delayMs);
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const nodeTimers: Timers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class WakeCatchUp {
  private handles: unknown[] = [];

  constructor(
    private readonly deps: {
      jobIds(): string[];
      wake(jobId: string): Promise<unknown>;
      jitterMs?: number;
      random?: () => number;
      timers?: Timers;
      onError?(jobId: string, err: unknown): void;
    },
  ) {}

  /** powerMonitor 'resume': plan this round, replacing any round still in progress. */
  onResume(): { jobId: string; delayMs: number }[] {
    this.cancel();
    const timers = this.deps.timers ?? nodeTimers;
    const plan = planCatchUp(this.deps.jobIds(), this.deps.jitterMs ?? 60_000, this.deps.random);
    this.handles = plan.map(({ jobId, delayMs }) =>
      timers.set(() => {
        // A failed wake only delays that job until its next scheduled round.
        this.deps.wake(jobId).catch((err: unknown) => this.deps.onError?.(jobId, err));
      }, delayMs),
    );
    return plan;
  }

  cancel(): void {
    const timers = this.deps.timers ?? nodeTimers;
    for (const h of this.handles) timers.clear(h);
    this.handles = [];
  }
}
