import type { z } from 'zod';
import type { Db } from '../db/openDatabase.ts';
import type { Logger } from '../log/logger.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';
import type { MergePolicy } from './mergeProvenance.ts';

/** One thing a strategy found. `key` identifies it within the job (re-discovery merges). */
export interface DiscoveredItem {
  key: string;
  data: Record<string, unknown>;
  priority?: number;
  /** Set by chaining strategies: the upstream item this one came from. */
  sourceItemId?: number;
}

export interface DiscoveryContext {
  jobId: string;
  signal: AbortSignal;
  log: Logger;
  /** Directory of jobs.yaml (relative paths in params resolve against it). */
  baseDir: string;
  dataDir: string;
  /**
   * Per-job state a strategy keeps between rounds (ETags, cursors, the backfill page).
   * Mutate it in place; the engine persists it after a round whose items were all stored
   * (a failed round keeps the previous state, so an ETag or cursor never skips items that
   * were not saved), and a restart resumes from it. Must stay JSON-serialisable.
   */
  state: Record<string, unknown>;
  /** `monitor` looks at the newest items each round; `backfill` walks an archive page by page. */
  mode: 'monitor' | 'backfill';
  /**
   * Backfill only: the archive has no more pages. The engine stops scheduling the job's
   * discovery (the fact survives restarts) and records a `discovery_exhausted` event.
   */
  exhausted(): void;
  /** Secrets for `secret:NAME` references (HTTP headers); never log what it returns. */
  secrets: SecretStore;
  /** Read access for chaining strategies (tracker_query). Strategies must not write. */
  db: Db;
  /** Looks up another strategy by name (multi_source), including a module's own. */
  findStrategy(name: string): DiscoveryStrategy;
}

/** What a config-time check may look at beyond the params themselves. */
export interface DiscoveryCheckEnv {
  /** Every job in jobs.yaml: id → its stage names. */
  jobs: ReadonlyMap<string, readonly string[]>;
  /** A built-in strategy by name, if there is one. */
  builtin(name: string): DiscoveryStrategy | undefined;
}

/** A discovery strategy: one file each, registered by name (STYLE.md §8). */
export interface DiscoveryStrategy<P extends z.ZodType = z.ZodType> {
  name: string;
  /** Strict zod schema; validated when jobs.yaml loads, with file:line on errors. */
  paramsSchema: P;
  discover(params: z.output<P>, ctx: DiscoveryContext): AsyncIterable<DiscoveredItem>;
  /** Cross-field checks at config load (other jobs, nested strategies): problem messages. */
  check?(params: z.output<P>, env: DiscoveryCheckEnv): string[];
  /** Defaults for the job's merge policy (e.g. a folder's newest path wins). */
  mergeDefaults?: Partial<MergePolicy>;
  /**
   * Optional live trigger: call `changed()` when something new may be there (a file
   * appeared), and the engine runs a round soon instead of waiting for the schedule.
   * Returns a function that stops watching.
   */
  watch?(params: z.output<P>, ctx: DiscoveryContext, changed: () => void): () => Promise<void>;
}
