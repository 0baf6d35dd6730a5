import { join } from 'node:path';
import { ArtifactStore, type ArtifactRef } from '../artifacts/ArtifactStore.ts';
import type { LiveConfig } from '../config/LiveConfig.ts';
import type { LoadedConfig } from '../config/loadConfig.ts';
import { CostGuard, type CostLimits } from '../cost/CostGuard.ts';
import { systemTimeZone } from '../cost/dayBoundary.ts';
import type { Db } from '../db/openDatabase.ts';
import type { EventBus } from '../events/EventBus.ts';
import type { StageContext } from '../handler/types.ts';
import { LlmClient } from '../llm/LlmClient.ts';
import type { Logger } from '../log/logger.ts';
import { WorkerPool, type WorkerPoolOptions } from '../pool/WorkerPool.ts';
import { resolveSecretHeaders } from '../secrets/resolveSecretHeaders.ts';
import { EnvSecretStore, type SecretStore } from '../secrets/SecretStore.ts';
import { jobStates } from '../tracker/jobState.ts';
import type { ClaimRef, StageOutcome } from '../tracker/outcome.ts';
import type { ArtifactsApi, HttpApi, LlmApi } from './contentApis.ts';
import { FETCH_DEFAULTS, httpGet } from './httpGet.ts';
import { CONTENT_INTERNALS, type ContentInternals } from './internals.ts';
import { runValidateHook, type ValidateHook } from './runValidateHook.ts';

/** What the content services need from the engine (kept narrow: no import of Engine). */
export interface ContentHost {
  db: Db;
  /** Read at every use: limits, providers and prices follow a reload at once. */
  live: LiveConfig;
  log: Logger;
  bus: EventBus;
  pauseJob(jobId: string, reason: string, untilMs: number | undefined): void;
  /** The job's handler module's `validate()` export, if any. */
  validateHook(jobId: string): ValidateHook | undefined;
}

export interface ContentOptions {
  secrets?: SecretStore;
  /** The daily limit's notion of "now" (tests cross midnight without waiting). */
  clock?: () => number;
  pool?: WorkerPoolOptions;
}

export interface ContextArgs {
  jobId: string;
  stage: string;
  itemId: number;
  upstream: Record<string, Record<string, unknown>>;
  signal: AbortSignal;
  log: Logger;
  cost: StageContext['cost'];
}

/**
 * The engine's content services: the artifact store, the worker pool (created on first use,
 * destroyed on stop), the LLM client, the daily cost guard and handler `validate()` hooks.
 * One per Engine.
 */
export class ContentRuntime {
  private workerPool: WorkerPool | undefined;
  readonly store: ArtifactStore;
  readonly llm: LlmClient;
  readonly costGuard: CostGuard;
  private readonly secrets: SecretStore;
  private readonly previousStmt;
  private readonly validating = new Set<string>();
  private closed = false;

  constructor(
    private readonly host: ContentHost,
    private readonly options: ContentOptions = {},
  ) {
    const { db, live } = host;
    // data_dir never changes on reload (the host refuses it), so the store is built once.
    this.store = new ArtifactStore(join(live.current.dataDir, 'artifacts'), db, () => this.pool());
    this.secrets = options.secrets ?? new EnvSecretStore();
    this.llm = new LlmClient(() => live.current.llm, this.secrets, host.log);
    let limits: { of: LoadedConfig; limits: CostLimits } | undefined;
    this.costGuard = new CostGuard(
      db,
      () => {
        const config = live.current;
        if (limits?.of !== config) limits = { of: config, limits: costLimitsOf(config) };
        return limits.limits;
      },
      options.clock,
    );
    this.previousStmt = db.prepare(`SELECT output FROM results WHERE item_id = ? AND stage = ?`);
  }

  pool(): WorkerPool {
    if (this.closed) throw new Error('the engine is stopping: no new worker-pool tasks');
    return (this.workerPool ??= new WorkerPool(this.options.pool));
  }

  /** The content part of a run's StageContext. */
  contextFor(a: ContextArgs): Pick<StageContext, 'artifacts' | 'llm' | 'http' | 'previous'> {
    const store = this.store;
    const ref = { itemId: a.itemId, jobId: a.jobId, stage: a.stage };
    const artifacts: ArtifactsApi = {
      put: async (data, contentType) => {
        const r = await store.put(data, contentType);
        store.recordRef(r.sha256, ref);
        return r;
      },
      get: (sha) => store.get(sha),
      getText: (sha) => store.getText(sha),
      has: (sha) => store.has(sha),
      pathOf: (sha) => store.pathOf(sha),
      upstream: (stage) => upstreamArtifacts(a.upstream, stage),
      duplicates: (sha) => store.otherItemsWith(sha, ref),
    };
    const llm: LlmApi = {
      complete: (req) =>
        this.llm.complete({ ...req, signal: a.signal }, (u) =>
          a.cost(u.usd, { model: u.model, tokensIn: u.tokensIn, tokensOut: u.tokensOut }),
        ),
    };
    const secrets = this.secrets;
    const http: HttpApi = {
      // `headers: { Authorization: secret:NAME }` in a stage's params: the key stays out of jobs.yaml.
      get: async (url, o = {}) =>
        httpGet(url, {
          ...FETCH_DEFAULTS,
          ...o,
          ...(o.headers ? { headers: await resolveSecretHeaders(o.headers, secrets) } : {}),
          signal: a.signal,
        }),
    };
    const internals: ContentInternals = {
      db: this.host.db,
      store,
      pool: () => this.pool(),
      ...ref,
    };
    const ctx = {
      artifacts,
      llm,
      http,
      previous: () => {
        const row = this.previousStmt.get(a.itemId, a.stage) as { output: string } | undefined;
        return row ? (JSON.parse(row.output) as Record<string, unknown>) : undefined;
      },
    };
    // Enumerable so the engine's object spread carries it; symbols never reach JSON or Object.keys.
    Object.defineProperty(ctx, CONTENT_INTERNALS, { value: internals, enumerable: true });
    return ctx;
  }

  /**
   * After each committed batch: pause jobs that reached their daily cost limit, and run the
   * handler modules' validate() hooks over what just completed.
   */
  afterBatch(batch: { ref: ClaimRef; outcome: StageOutcome }[]): void {
    const jobs = new Set<string>();
    const spent = new Set<string>();
    for (const c of batch) {
      jobs.add(c.ref.jobId);
      if ('costs' in c.outcome && c.outcome.costs?.length) spent.add(c.ref.jobId);
    }
    if (spent.size > 0)
      this.enforceCostLimits(this.costGuard.limits.global !== undefined ? this.allJobs() : spent);
    for (const jobId of jobs) {
      const hook = this.host.validateHook(jobId);
      if (!hook || this.validating.has(jobId)) continue;
      const completions = batch
        .filter((c) => c.ref.jobId === jobId)
        .map((c) => ({
          itemId: c.ref.itemId,
          stage: c.ref.stage,
          status: c.outcome.kind,
          ...(c.outcome.kind === 'done' ? { output: c.outcome.output } : {}),
        }));
      this.validating.add(jobId);
      void runValidateHook(hook, { jobId, completions, db: this.host.db })
        .then((failure) => {
          if (failure) {
            this.host.log.warn({ job: jobId, failure }, 'validate() failed: pausing the job');
            this.host.pauseJob(jobId, `validate() failed: ${failure}`, undefined);
          }
        })
        .finally(() => this.validating.delete(jobId));
    }
  }

  /** Jobs at their limit pause until the next day boundary (and then resume on their own). */
  enforceCostLimits(jobIds: Iterable<string>): void {
    const hits = this.costGuard.check(jobIds);
    if (hits.length === 0) return;
    const states = jobStates(this.host.db);
    for (const h of hits) {
      const st = states.get(h.jobId);
      if (st?.paused) continue; // already held (by us or a person): do not extend or override
      const reason = `daily cost limit${h.scope === 'global' ? ' (all jobs)' : ''}: $${h.spentUsd.toFixed(4)} of $${h.limitUsd.toFixed(2)} spent today`;
      this.host.pauseJob(h.jobId, reason, h.resumeAtMs);
      this.host.bus.emit({
        type: 'attention',
        jobId: h.jobId,
        level: 'warning',
        title: 'Daily cost limit reached',
        message: `${h.jobId}: ${reason}; resumes at ${new Date(h.resumeAtMs).toISOString()}`,
      });
    }
  }

  private allJobs(): string[] {
    return this.host.live.current.jobs.map((j) => j.id);
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.workerPool;
    this.workerPool = undefined;
    await pool?.destroy();
  }
}

/** The daily limits a config sets: the global one and each job's `guards.daily_cost_limit`. */
export function costLimitsOf(config: LoadedConfig): CostLimits {
  const perJob = new Map<string, number>();
  for (const j of config.jobs)
    if (j.guards?.daily_cost_limit !== undefined) perJob.set(j.id, j.guards.daily_cost_limit);
  return {
    perJob,
    timeZone: config.timezone ?? systemTimeZone(),
    ...(config.daily_cost_limit !== undefined ? { global: config.daily_cost_limit } : {}),
  };
}

/** `{ artifact: { sha256 } }` in upstream outputs, in stage order. */
export function upstreamArtifacts(
  upstream: Record<string, Record<string, unknown>>,
  stage?: string,
): { stage: string; ref: ArtifactRef }[] {
  const out: { stage: string; ref: ArtifactRef }[] = [];
  for (const [name, output] of Object.entries(upstream)) {
    if (stage && name !== stage) continue;
    const a = output.artifact as Partial<ArtifactRef> | undefined;
    if (a && typeof a.sha256 === 'string')
      out.push({
        stage: name,
        ref: {
          sha256: a.sha256,
          size: Number(a.size ?? 0),
          ...(a.content_type ? { content_type: a.content_type } : {}),
        },
      });
  }
  return out;
}
