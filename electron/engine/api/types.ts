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
  tags: string[];
  pipeline: string | null;
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
  /** The running config's file, and the last reload error while the old config keeps running. */
  config: { file: string; error: { message: string; at: number } | null };
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

/** What applying a new jobs.yaml would change (`jobctl reload --dry-run`). */
export interface ReloadPlan {
  jobsAdded: string[];
  jobsRemoved: string[];
  stagesAdded: { job: string; stage: string }[];
  stagesRemoved: { job: string; stage: string }[];
  /** Limits and settings that change live: where (`job`, `job/stage`, `resources.x`), field, old → new. */
  limitsChanged: { where: string; field: string; from: unknown; to: unknown }[];
  /** Per stage, how many done results the new version makes stale. */
  stale: { job: string; stage: string; from: string | null; to: string; count: number }[];
}

export interface ReloadResult {
  applied: boolean;
  /** What changes (or would change); null when the new file is invalid. */
  plan: ReloadPlan | null;
  /** Each problem as `file:line:col path: message`. */
  problems: string[];
  /** False when no host runs: the file was only validated (the next start applies it). */
  live: boolean;
}

/** One answer to "why is this item not running?". */
export interface WhyAnswer {
  itemId: number;
  jobId: string;
  status: string;
  /** The blocking reasons, most important first, each a sentence. */
  reasons: { stage: string | null; code: string; message: string; until?: number | null }[];
}

export interface ResourceHeadroom {
  name: string;
  key: string | null;
  inUse: number;
  cap: number | null;
  tokens: number | null;
  burst: number | null;
  nextTokenInMs: number | null;
  waiting: number;
}

export interface StatsRow {
  day: string;
  jobId: string;
  stage: string;
  done: number;
  failed: number;
  retried: number;
  usd: number | null;
}
