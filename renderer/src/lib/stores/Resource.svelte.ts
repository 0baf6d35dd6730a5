import type { EventHub } from '../api/EventHub.svelte.ts';
import type { UiEvent } from '../api/transport.ts';

export interface ResourceOptions {
  /** Event types that make this data stale. */
  on?: string[];
  /** Only events of this job count (events without a jobId always count). */
  jobId?: () => string | null | undefined;
  /**
   * At most one refetch per this many ms while events keep coming (throttle, trailing):
   * live but bounded — a steady 4 progress messages/s become 1 refetch/s.
   */
  minIntervalMs?: number;
}

/**
 * A query result that keeps itself fresh: fetched once, then refetched on named engine events,
 * throttled, never two requests in flight. `data` is $state.raw (replaced, never deep-proxied),
 * so a page of 1,000 rows costs one assignment, not 1,000 proxies.
 */
export class Resource<T> {
  data = $state.raw<T | undefined>(undefined);
  error = $state<string | null>(null);
  loading = $state(false);
  private inFlight: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastStart = 0;
  private readonly off: (() => void) | undefined;
  private disposed = false;

  constructor(
    private readonly fetcher: () => Promise<T>,
    events?: EventHub,
    private readonly opts: ResourceOptions = {},
  ) {
    if (events && opts.on) this.off = events.on(opts.on, (e) => this.onEvent(e));
  }

  private onEvent(e: UiEvent): void {
    const job = this.opts.jobId?.();
    if (job && e.jobId && e.jobId !== job) return;
    this.schedule();
  }

  /** Refetch soon, respecting the throttle. */
  schedule(): void {
    if (this.timer || this.disposed) return;
    const wait = Math.max(0, this.lastStart + (this.opts.minIntervalMs ?? 500) - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, wait);
  }

  /** Fetch now (or right after the request in flight). */
  refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.lastStart = Date.now();
    this.loading = true;
    this.inFlight = this.fetcher()
      .then(
        (v) => {
          if (this.disposed) return;
          this.data = v;
          this.error = null;
        },
        (err: unknown) => {
          // Shown in the view; the previous data stays so the page does not blank out.
          if (!this.disposed) this.error = err instanceof Error ? err.message : String(err);
        },
      )
      .finally(() => {
        this.loading = false;
        this.inFlight = null;
        if (this.again && !this.disposed) {
          this.again = false;
          this.schedule();
        }
      });
    return this.inFlight;
  }

  /**
   * Fetch unless a request is in flight or started less than `maxAgeMs` ago: a view mounting
   * over a store that another component just filled (the overview and the runner indicator
   * share one) does not repeat the request.
   */
  ensure(maxAgeMs: number): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.lastStart > 0 && Date.now() - this.lastStart < maxAgeMs) return Promise.resolve();
    return this.refresh();
  }

  dispose(): void {
    this.disposed = true;
    this.off?.();
    if (this.timer) clearTimeout(this.timer);
  }
}
