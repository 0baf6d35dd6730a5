import type { ApiClient } from '../engine/api/contract.ts';

/** The pause reason this module writes and is the only one it ever resumes. */
export const OFFLINE_REASON = 'offline: waiting for the network';

/**
 * Laptop life: when the OS reports offline, jobs that need the network pause; when it comes
 * back, exactly the jobs this module paused resume — not a job the user or the doctor paused,
 * and not one that was re-paused for another reason meanwhile (its reason changed).
 *
 * Modes: `online` ⇄ `offline`; setOnline() with the current mode is a no-op.
 */
export class OfflinePauser {
  mode: 'online' | 'offline' = 'online';
  private readonly pausedByUs = new Set<string>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      api: Pick<ApiClient, 'overview' | 'pause' | 'resume'>;
      /** Whether a job needs the network (its discovery or stages fetch). */
      isNetworkJob(jobId: string): boolean;
      onChange?(mode: 'online' | 'offline', jobs: string[]): void;
      onError?(err: unknown): void;
    },
  ) {}

  get paused(): string[] {
    return [...this.pausedByUs];
  }

  /** Serialized: a quick offline→online→offline flap runs in order, never interleaved. */
  setOnline(online: boolean): Promise<void> {
    const next = online ? 'online' : 'offline';
    this.chain = this.chain.then(async () => {
      if (next === this.mode) return;
      this.mode = next;
      try {
        if (next === 'offline') await this.pauseNetworkJobs();
        else await this.resumeOurs();
      } catch (err) {
        // A failed pause/resume leaves the job as it is; the next transition tries again.
        this.deps.onError?.(err);
      }
      this.deps.onChange?.(next, this.paused);
    });
    return this.chain;
  }

  private async pauseNetworkJobs(): Promise<void> {
    const { jobs } = await this.deps.api.overview({});
    for (const job of jobs) {
      if (job.paused || job.orphaned || !job.enabled || !this.deps.isNetworkJob(job.id)) continue;
      await this.deps.api.pause({ jobId: job.id, reason: OFFLINE_REASON });
      this.pausedByUs.add(job.id);
    }
  }

  private async resumeOurs(): Promise<void> {
    const { jobs } = await this.deps.api.overview({});
    for (const job of jobs) {
      if (!this.pausedByUs.has(job.id)) continue;
      if (job.paused && job.pauseReason === OFFLINE_REASON)
        await this.deps.api.resume({ jobId: job.id });
    }
    this.pausedByUs.clear();
  }
}

/**
 * Polls an online probe (Electron's `net.isOnline()`), reporting a change only after two equal
 * samples in a row, so a one-off blip does not pause and resume every job.
 */
export class NetworkMonitor {
  private last: boolean | undefined;
  private pending: boolean | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly probe: () => boolean,
    private readonly onChange: (online: boolean) => void,
    private readonly intervalMs = 5_000,
  ) {}

  start(): void {
    this.last = this.probe();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One poll; public so tests drive it without timers. */
  sample(): void {
    const now = this.probe();
    if (this.last === undefined) {
      this.last = now;
      return;
    }
    if (now === this.last) {
      this.pending = undefined;
      return;
    }
    if (this.pending === now) {
      this.last = now;
      this.pending = undefined;
      this.onChange(now);
    } else this.pending = now;
  }
}
