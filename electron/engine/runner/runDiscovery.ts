import type { LoadedJob } from '../config/loadConfig.ts';
import type { Db } from '../db/openDatabase.ts';
import { findStrategy } from '../discovery/registry.ts';
import type { DiscoveredItem, DiscoveryContext, DiscoveryStrategy } from '../discovery/types.ts';
import type { Logger } from '../log/logger.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';

export interface RoundResult {
  found: number;
  /** Backfill: the strategy reported the archive exhausted. */
  exhausted: boolean;
}

/**
 * Runs one discovery round of a job and hands the items over in batches. Params are
 * validated with the strategy's schema, so a bad param fails the round with a clear message.
 * `state` is the strategy's memory: mutated in place by the strategy; the caller decides
 * whether to keep it (only when every batch was stored).
 */
export async function runDiscovery(
  job: LoadedJob,
  ctx: {
    baseDir: string;
    dataDir: string;
    log: Logger;
    signal: AbortSignal;
    extra: ReadonlyMap<string, DiscoveryStrategy>;
    state?: Record<string, unknown>;
    secrets: SecretStore;
    db: Db;
  },
  sink: (batch: DiscoveredItem[]) => void,
  batchSize = 1000,
): Promise<RoundResult> {
  if (!job.discovery) return { found: 0, exhausted: false };
  const strategy = findStrategy(job.discovery.strategy, ctx.extra);
  const parsed = strategy.paramsSchema.safeParse(job.discovery.params);
  if (!parsed.success) {
    const msg = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'params'}: ${i.message}`)
      .join('; ');
    throw new Error(`discovery params of job \`${job.id}\` (${strategy.name}): ${msg}`);
  }
  let exhausted = false;
  const dctx: DiscoveryContext = {
    jobId: job.id,
    signal: ctx.signal,
    log: ctx.log,
    baseDir: ctx.baseDir,
    dataDir: ctx.dataDir,
    state: ctx.state ?? {},
    mode: job.kind === 'backfill' ? 'backfill' : 'monitor',
    exhausted: () => {
      exhausted = true;
    },
    secrets: ctx.secrets,
    db: ctx.db,
    findStrategy: (name) => findStrategy(name, ctx.extra),
  };
  let found = 0;
  let batch: DiscoveredItem[] = [];
  for await (const item of strategy.discover(parsed.data, dctx)) {
    if (typeof item?.key !== 'string' || item.key === '') {
      throw new Error(`strategy \`${strategy.name}\` yielded an item without a string key`);
    }
    batch.push(item);
    found++;
    if (batch.length >= batchSize) {
      sink(batch);
      batch = [];
    }
  }
  // An aborted round is a failed round: its state (an ETag, a cursor) must not be kept,
  // or the next round would skip what this one never handed over.
  if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('discovery aborted');
  if (batch.length > 0) sink(batch);
  return { found, exhausted };
}
