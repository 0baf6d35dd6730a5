import type { JobSummary, StageSummary } from '../../electron/engine/api/types.ts';

export function stage(name: string, counts: Partial<StageSummary['counts']> = {}): StageSummary {
  return {
    name,
    version: '1',
    concurrency: 1,
    deps: [],
    counts: {
      waiting: 0,
      pending: 0,
      running: 0,
      retry: 0,
      done: 0,
      failed: 0,
      dead: 0,
      skipped: 0,
      ...counts,
    },
    stale: 0,
    p50Ms: 1200,
    oldestPendingAt: null,
  };
}

export function job(over: Partial<JobSummary> = {}): JobSummary {
  return {
    id: 'news',
    title: 'News',
    emoji: null,
    enabled: true,
    tags: [],
    pipeline: null,
    orphaned: false,
    paused: false,
    pauseReason: null,
    pausedAt: null,
    pausedUntil: null,
    items: 10,
    stages: [stage('fetch', { done: 7, failed: 2, pending: 1 })],
    lastDiscoveryAt: null,
    ...over,
  };
}
