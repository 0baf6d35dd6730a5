import type { LoadedJob } from '../config/loadConfig.ts';
import { findStrategy } from '../discovery/registry.ts';
import type { DiscoveredItem, DiscoveryStrategy } from '../discovery/types.ts';
import type { Logger } from '../log/logger.ts';

/**
 * Runs one discovery round of a job and hands the items over in batches. Params are
 * validated with the strategy's schema, so a bad param fails the round with a clear message.
 */
export async function runDiscovery(
  job: LoadedJob,
  ctx: {
    baseDir: string;
    dataDir: string;
    log: Logger;
    signal: AbortSignal;
    extra: ReadonlyMap<string, DiscoveryStrategy>;
  },
  sink: (batch: DiscoveredItem[]) => void,
  batchSize = 1000,
): Promise<number> {
  if (!job.discovery) return 0;
  const strategy = findStrategy(job.discovery.strategy, ctx.extra);
  const parsed = strategy.paramsSchema.safeParse(job.discovery.params);
  if (!parsed.success) {
    const msg = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'params'}: ${i.message}`)
      .join('; ');
    throw new Error(`discovery params of job \`${job.id}\` (${strategy.name}): ${msg}`);
  }
  let found = 0;
  let batch: DiscoveredItem[] = [];
  for await (const item of strategy.discover(parsed.data, {
    jobId: job.id,
    signal: ctx.signal,
    log: ctx.log,
    baseDir: ctx.baseDir,
    dataDir: ctx.dataDir,
    state: {},
  })) {
    batch.push(item);
    found++;
    if (batch.length >= batchSize) {
      sink(batch);
      batch = [];
    }
  }
  if (batch.length > 0) sink(batch);
  return found;
}
