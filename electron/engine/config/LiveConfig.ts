import type { LoadedConfig } from './loadConfig.ts';

/** May return a promise (e.g. reading a provider's key); `settled()` waits for it. */
export type ConfigListener = (next: LoadedConfig, previous: LoadedConfig) => void | Promise<void>;

/**
 * The one live configuration of a host: an immutable snapshot that a reload replaces whole.
 * Every consumer either reads `current` at the moment it acts (the scheduler, stage workers,
 * the cost guard, the doctor's breaker thresholds, routes, retention) or subscribes to rebuild
 * what it derives from it (the LLM clients, the doctor's LLM, the notifier's rate limit).
 * Nothing keeps a copy taken at start-up: that is how a lowered cost limit went unenforced.
 */
export class LiveConfig {
  private snapshot: LoadedConfig;
  private readonly listeners = new Set<ConfigListener>();
  private pending: Promise<unknown>[] = [];

  constructor(
    initial: LoadedConfig,
    private readonly onListenerError: (err: unknown) => void = () => undefined,
  ) {
    this.snapshot = deepFreeze(initial);
  }

  get current(): LoadedConfig {
    return this.snapshot;
  }

  /** Swaps in a validated config and tells every subscriber, in subscription order. */
  set(next: LoadedConfig): void {
    const previous = this.snapshot;
    this.snapshot = deepFreeze(next);
    for (const fn of this.listeners) {
      try {
        const r = fn(this.snapshot, previous);
        if (r) this.pending.push(r.catch((err: unknown) => this.onListenerError(err)));
      } catch (err) {
        // One consumer failing to follow must not stop the others from following.
        this.onListenerError(err);
      }
    }
  }

  /**
   * Resolves once every subscriber has finished following the last swap (true), or after
   * `timeoutMs` with some still at it (false; they finish in the background).
   */
  async settled(timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const all = (async () => {
      while (this.pending.length > 0) await Promise.all(this.pending.splice(0));
      return true;
    })();
    if (!Number.isFinite(timeoutMs)) return all;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([all, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Calls `fn` after every swap; returns the unsubscribe function. */
  subscribe(fn: ConfigListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/**
 * Frozen so a consumer cannot edit the shared snapshot in place (a silent divergence between
 * what Settings shows and what runs). Plain data only: jobs.yaml parses to objects, arrays
 * and scalars.
 */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
