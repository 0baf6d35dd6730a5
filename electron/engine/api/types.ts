import type { Correction, SignatureMatches } from '../doctor/CorrectionStore.ts';
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
  /** Today's spend (in the configured time zone) against the job's daily limit (api/jobExtras.ts). */
  costToday?: JobCostToday;
  /** The discovery schedule; null when the job has no discovery. */
  discovery?: JobDiscoveryInfo | null;
}

export interface Overview {
  host: { state: HostState; pid: number | null; heartbeatAt: number | null };
  /** The running config's file, and the last reload error while the old config keeps running. */
  config: {
    file: string;
    error: { message: string; at: number } | null;
    /** Unfinished work of jobs or stages the running config no longer has (kept, not processed). */
    retired: {
      at: number;
      work: { job: string; stage: string | null; unfinished: number }[];
    } | null;
  };
  /** The engine's view of the network (null without a running host). */
  network: NetworkStatus | null;
  jobs: JobSummary[];
  generatedAt: number;
}

/** Offline detection (engine/network/NetworkMonitor.ts), as the dashboard and status show it. */
export interface NetworkStatus {
  state: 'up' | 'down';
  since: number | null;
  lastProbeAt: number | null;
  nextProbeAt: number | null;
  failedHosts: string[];
  /** `job/stage` (and `job/_discovery`) waiting for the network. */
  held: string[];
  probe: string[];
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
  /**
   * Consecutive host deaths while this stage was running (0 after any normal end); at 3 the
   * reaper quarantines it. Optional so hand-built fixtures need not list it.
   */
  crashes?: number;
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
  /** Chained jobs: the item this one was made from, and the items made from it (api/itemLinks.ts). */
  upstream?: ItemLink | null;
  downstream?: { items: ItemLink[]; total: number };
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
  /**
   * Unfinished work the new config would no longer run (jobs removed or disabled, stages
   * removed): it stays in the database, unprocessed, until the job or stage comes back.
   */
  retired: { job: string; stage: string | null; unfinished: number }[];
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
  /** After a rate limit: the share of the configured pace allowed now (1 = recovered). */
  pace?: number;
  /** Nothing new starts before this (a Retry-After honoured for the whole resource). */
  heldUntil?: number | null;
  /** Rate limits seen since the pace was last back to normal. */
  rateLimits?: number;
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

// ---- Dashboard read models (overview cards, item links, pipelines, throughput, settings) ----

export interface JobCostToday {
  spentUsd: number;
  /** `guards.daily_cost_limit`; null when the job has none. */
  limitUsd: number | null;
  /** The top-level `daily_cost_limit` shared by every job; null when unset. */
  globalLimitUsd: number | null;
}

export interface JobDiscoveryInfo {
  strategy: string;
  lastRoundAt: number | null;
  /** When the next round is due; null when none is scheduled (manual, exhausted, stopped). */
  nextRoundAt: number | null;
  lastError: string | null;
  backoffUntil: number | null;
  skippedReason: string | null;
  /** Backfill finished: no more rounds. */
  exhausted: boolean;
  // The fields below are always set by the API (api/jobExtras.ts); optional only so views'
  // hand-built fixtures need not list them.
  /** The schedule: `every` in ms, or `cron`; `usualIntervalMs` is every or cron's median gap. */
  every?: number | null;
  cron?: string | null;
  usualIntervalMs?: number | null;
  /** Consecutive failed rounds, and when the first of them ran (null when not failing). */
  failures?: number;
  failingSince?: number | null;
  /** Last round that found a new item (the quiet alert measures from it). */
  lastNewAt?: number | null;
  /**
   * The effective `quiet_after` (null: no alert) and where it comes from: set in jobs.yaml,
   * the schedule's default, turned `off`, or `none` where silence is normal (quietAfterWhy).
   */
  quietAfterMs?: number | null;
  quietAfterSource?: 'config' | 'default' | 'off' | 'none';
  quietAfterWhy?: string | null;
  /** Nothing new for longer than `quietAfterMs` (what "source went quiet" alerted about). */
  quiet?: boolean;
}

/** Another item in a chain of jobs, enough to link to it. */
export interface ItemLink {
  id: number;
  jobId: string;
  key: string;
  title: string | null;
}

/** Upstream job → downstream job, chained by `tracker_query` discovery. */
export interface PipelineEdge {
  from: string;
  to: string;
  /** The upstream stage (and status) whose items flow down; null when not in the config. */
  stage: string | null;
  status: string | null;
  /** Downstream items that came from the upstream job (items.source_item_id). */
  items: number;
  /** Declared in jobs.yaml (false: only seen in the data, e.g. a removed chain). */
  configured: boolean;
}

export interface PipelinesResult {
  jobs: {
    id: string;
    title: string;
    emoji: string | null;
    /** `pipeline: name/step` as written, and its two halves. */
    pipeline: string | null;
    name: string | null;
    step: string | null;
  }[];
  edges: PipelineEdge[];
  /** Jobs by pipeline name, in config order. */
  groups: { name: string; jobs: string[] }[];
}

export interface ThroughputResult {
  /** Start of the first bucket. */
  since: number;
  bucketMs: number;
  /** jobId → completed runs per bucket, oldest first (jobs with none are left out). */
  series: Record<string, number[]>;
}

/** The running config's settings, read-only and without secrets (api/settingsView.ts). */
export interface SettingsView {
  configFile: string;
  timeZone: string;
  dailyCostLimitUsd: number | null;
  llm: {
    defaultProvider: string | null;
    providers: {
      name: string;
      baseUrl: string;
      models: string[];
      /** The name of the secret holding its key (`secret:NAME`), never the key. */
      apiKeySecret: string | null;
      timeoutMs: number;
    }[];
  };
  notifications: {
    /** False: the defaults apply (no `notifications:` key). */
    configured: boolean;
    enabled: boolean;
    minLevel: 'info' | 'warning' | 'error';
    rateLimit: { count: number; perMs: number };
  };
  doctor: {
    llm: boolean;
    provider: string | null;
    model: string | null;
    dailyBudgetUsd: number;
  } | null;
}

/** One URL's fate in add-URL: routed to a job (new or already known), or refused with the reason. */
export interface AddUrlResult {
  url: string;
  normalized?: string;
  jobId?: string;
  itemId?: number;
  /** True when the URL became a new item; false when the job already had it. */
  added?: boolean;
  refused?: string;
}

/** The doctor's vocabulary, for the dashboard's correction form (its selects are exhaustive). */
export type { ErrorClass } from '../runner/ErrorClassifier.ts';
export type { DoctorAction } from '../doctor/types.ts';
export type { Correction, SignatureMatches } from '../doctor/CorrectionStore.ts';
export type { FailureGroup, TaughtMark } from '../doctor/decisions.ts';

/** What teaching a correction stored, and the past decisions its signature matched (0: a typo?). */
export interface TeachResult {
  correction: Correction;
  matched: SignatureMatches;
}
