import type { HostState } from '../runner/HostHeartbeat.ts';
import type { ItemStatus, StageStatus } from '../tracker/StageStatus.ts';
import type { StatusCounts } from './readModel.ts';

export interface StageSummary {
  name: string;
  version: string;
  concurrency: number;
  deps: string[];
  counts: StatusCounts;
  stale: number;
  p50Ms: number | null;
  oldestPendingAt: number | null;
}

export interface JobSummary {
  id: string;
  title: string;
  emoji: string | null;
  enabled: boolean;
  /** Known to the database but no longer in jobs.yaml. */
  orphaned: boolean;
  paused: boolean;
  pauseReason: string | null;
  pausedAt: number | null;
  pausedUntil: number | null;
  items: number;
  stages: StageSummary[];
  lastDiscoveryAt: number | null;
}

export interface Overview {
  host: { state: HostState; pid: number | null; heartbeatAt: number | null };
  jobs: JobSummary[];
  generatedAt: number;
}

export interface ItemRow {
  id: number;
  jobId: string;
  key: string;
  priority: number;
  status: ItemStatus;
  discoveredAt: number;
  updatedAt: number;
  title: string | null;
}

export interface ItemStageDetail {
  stage: string;
  status: StageStatus;
  attempts: number;
  readyAt: number;
  startedAt: number | null;
  endedAt: number | null;
  elapsedMs: number | null;
  error: string | null;
  errorClass: string | null;
  version: string | null;
  currentVersion: string | null;
  stale: boolean;
  result: Record<string, unknown> | null;
  artifacts: Record<string, unknown> | null;
}

export interface EventRow {
  id: number;
  ts: number;
  jobId: string | null;
  itemId: number | null;
  stage: string | null;
  kind: string;
  data: unknown;
}

export interface ItemDetail {
  item: ItemRow & { data: Record<string, unknown>; sourceItemId: number | null };
  stages: ItemStageDetail[];
  events: EventRow[];
}

export interface CountResult {
  count: number;
}
