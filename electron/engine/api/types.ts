import type { DoctorDecisionRow } from '../doctor/decisions.ts';
// Node-free on purpose: contract.ts imports these types and the renderer imports contract.ts
// (tsconfig.web.json has no Node types). Import only from node-free files here.
import type { ItemStatus, StageStatus } from '../tracker/StageStatus.ts';

/** running: fresh heartbeat; stale: missed 3 beats (killed?); stopped: clean exit; never: no host yet. */
export type HostState = 'running' | 'stale' | 'stopped' | 'never';

export type StatusCounts = Record<StageStatus, number>;

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
  /** The doctor's decisions about this item, newest first. */
  doctor?: DoctorDecisionRow[];
}

export interface CountResult {
  count: number;
}
