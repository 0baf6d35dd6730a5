import type { LoadedConfig } from '../config/loadConfig.ts';

const cache = new WeakMap<LoadedConfig, Map<string, string[]>>();

/**
 * Jobs whose discovery reads the results of `job/stage` (tracker_query, also inside a
 * multi_source), so finishing items there can wake them. Computed once per config object.
 */
export function chainedFrom(config: LoadedConfig, jobStage: string): string[] {
  let map = cache.get(config);
  if (!map) {
    map = new Map();
    for (const job of config.jobs) {
      if (!job.enabled || !job.discovery) continue;
      for (const src of trackerSources(job.discovery.strategy, job.discovery.params)) {
        const key = `${src.job}/${src.stage}`;
        map.set(key, [...(map.get(key) ?? []), job.id]);
      }
    }
    cache.set(config, map);
  }
  return map.get(jobStage) ?? [];
}

function trackerSources(
  strategy: string,
  params: Record<string, unknown>,
): { job: string; stage: string }[] {
  if (
    strategy === 'tracker_query' &&
    typeof params.job === 'string' &&
    typeof params.stage === 'string'
  ) {
    return [{ job: params.job, stage: params.stage }];
  }
  if (strategy === 'multi_source' && Array.isArray(params.sources)) {
    return (params.sources as { strategy?: unknown; params?: unknown }[]).flatMap((s) =>
      typeof s?.strategy === 'string'
        ? trackerSources(s.strategy, (s.params ?? {}) as Record<string, unknown>)
        : [],
    );
  }
  return [];
}
