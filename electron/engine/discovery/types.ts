import type { z } from 'zod';
import type { Logger } from '../log/logger.ts';

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
  /** Per-job state a strategy keeps between rounds (ETags, cursors); persisted by the engine. */
  state: Record<string, unknown>;
}

/** A discovery strategy: one file each, registered by name (STYLE.md §8). */
export interface DiscoveryStrategy<P extends z.ZodType = z.ZodType> {
  name: string;
  paramsSchema: P;
  discover(params: z.output<P>, ctx: DiscoveryContext): AsyncIterable<DiscoveredItem>;
}
