import type { ContentRuntime, ContextArgs } from '../builtins/ContentRuntime.ts';
import type { StageConfig } from '../config/schema.ts';
import type { StageGraph } from '../config/stageGraph.ts';
import type { StageHandler, StageItem } from '../handler/types.ts';
import type { Logger } from '../log/logger.ts';
import type { CostEntry, ClaimRef, StageOutcome } from '../tracker/outcome.ts';
import type { Tracker } from '../tracker/Tracker.ts';
import type { ClaimedRow } from '../db/queries/claimStages.ts';
import type { TickLoop } from './TickLoop.ts';
import { decideOutcome } from './decideOutcome.ts';
import type { ErrorClassifier, Verdict } from './ErrorClassifier.ts';
import { AbortReason, executeHandler } from './executeHandler.ts';

export interface StageRuntime {
  jobId: string;
  jobTitle: string;
  config: StageConfig;
  handler: StageHandler;
  /** The version results are stamped with (YAML override, else the handler's). */
  version: string;
  graph: StageGraph;
}

export interface WorkerHost {
  tracker: Tracker;
  ticks: TickLoop;
  classifier: ErrorClassifier;
  owner: string;
  leaseMs: number;
  log: Logger;
  /** A verdict asked for the job to pause (systemic error, code bug, temporal). */
  pauseJob(jobId: string, reason: string, untilMs: number | undefined, verdict: Verdict): void;
  /** Called when this worker found nothing to claim (drain detection). */
  onIdle(): void;
  /** The content services of a run's context: artifacts, llm, http, previous (builtins/ContentRuntime). */
  contentContext(args: ContextArgs): ReturnType<ContentRuntime['contextFor']>;
}

/**
 * One job stage's continuous worker: claims up to `concurrency` rows, runs them, hands each
 * outcome to the engine's TickLoop, and claims again (in the TickLoop's next transaction) as
 * slots free up.
 *
 * Modes (asserted by the setters):
 * - `running`: claims whenever a slot is free and something may be pending.
 * - `paused`: the job is paused; runs in flight finish, nothing new is claimed.
 * - `stopping`: shutdown or job removal; no claims, in-flight runs finish or are aborted.
 * - `stopped`: nothing in flight, never claims again.
 * Triggers: wake() (new items, a promoted dependent, a person's retry), a freed slot, the
 * retry-due timer and a safety poll that backs off from 250 ms to 5 s while idle (it only
 * matters for rows changed by another process).
 */
export class StageWorker {
  mode: 'running' | 'paused' | 'stopping' | 'stopped' = 'running';
  /** The last claim found nothing and nothing is in flight. */
  idle = false;
  readonly inflight = new Map<
    number,
    { controller: AbortController; ref: ClaimRef; itemId: number }
  >();
  private timer: NodeJS.Timeout | undefined;
  private pollMs = 250;
  private nextRetryAt: number | null;
  private stoppedWaiters: (() => void)[] = [];

  constructor(
    public runtime: StageRuntime,
    private readonly host: WorkerHost,
  ) {
    this.nextRetryAt = host.tracker.nextRetryDue(runtime.jobId, runtime.config.name);
  }

  get key(): string {
    return `${this.runtime.jobId}/${this.runtime.config.name}`;
  }

  /** Something may be claimable: claim on the next turn (coalesces bursts of wakes). */
  wake(): void {
    this.pollMs = 250;
    this.schedulePump();
  }

  /** A retry was written for this stage: make sure we look again when it is due. */
  noteRetry(readyAt: number): void {
    if (this.nextRetryAt === null || readyAt < this.nextRetryAt) this.nextRetryAt = readyAt;
    if (this.idle) this.armTimer();
  }

  pause(): void {
    if (this.mode !== 'running') return;
    this.mode = 'paused';
    this.clearTimer();
  }

  resume(): void {
    if (this.mode !== 'paused') return;
    this.mode = 'running';
    this.wake();
  }

  /** Aborts one item's run (cancel). Returns false when it is not running here. */
  abortItem(itemId: number, reason: AbortReason): boolean {
    for (const run of this.inflight.values()) {
      if (run.itemId === itemId) {
        run.controller.abort(reason);
        return true;
      }
    }
    return false;
  }

  /**
   * Stops claiming; waits for in-flight runs until the deadline, then aborts the rest with
   * a shutdown reason so they are handed back (pending, attempt not counted).
   */
  async stop(deadline: number): Promise<void> {
    if (this.mode === 'stopped') return;
    this.mode = 'stopping';
    this.clearTimer();
    if (this.inflight.size > 0) {
      const done = new Promise<void>((r) => this.stoppedWaiters.push(r));
      const wait = deadline - Date.now();
      let t: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((r) => (t = setTimeout(r, Math.max(0, wait))));
      await Promise.race([done, timeout]);
      clearTimeout(t);
      if (this.inflight.size > 0) {
        for (const run of this.inflight.values()) {
          run.controller.abort(new AbortReason('shutdown', 'host is shutting down'));
        }
        await done;
      }
    }
    this.mode = 'stopped';
  }

  /** Asks the engine's TickLoop to claim for this worker in its next transaction. */
  private schedulePump(): void {
    this.host.ticks.wantClaim(this);
  }

  /**
   * Claims rows for the free slots. Runs inside the TickLoop's transaction, right after the
   * outcomes of this turn were written (so freshly promoted dependents are claimable).
   */
  claimInTx(now: number): ClaimedRow[] {
    if (this.mode !== 'running') return [];
    const free = this.runtime.config.concurrency - this.inflight.size;
    if (free <= 0) return [];
    const { jobId, config } = this.runtime;
    const tracker = this.host.tracker;
    if (this.nextRetryAt !== null && this.nextRetryAt <= now) {
      tracker.promoteDueRetries(jobId, config.name, now);
      this.nextRetryAt = tracker.nextRetryDue(jobId, config.name);
    }
    return tracker.claim({
      jobId,
      stage: config.name,
      owner: this.host.owner,
      limit: free,
      now,
      leaseUntil: now + this.host.leaseMs,
    });
  }

  /** Nothing was claimable: go idle (when nothing runs) and arm the safety poll. */
  noteEmpty(): void {
    if (this.mode !== 'running') return;
    if (this.inflight.size === 0) {
      this.idle = true;
      this.host.onIdle();
    }
    this.armTimer();
  }

  /** Starts runs for rows claimed in the transaction that just committed. */
  startRows(rows: ClaimedRow[]): void {
    this.idle = false;
    this.clearTimer();
    const deps = this.runtime.graph.deps.get(this.runtime.config.name) ?? [];
    const upstream =
      deps.length > 0
        ? this.host.tracker.upstreamResults(
            rows.map((r) => r.itemId),
            deps,
          )
        : undefined;
    for (const row of rows) this.start(row, upstream?.get(row.itemId) ?? {});
    // More may be pending than we had slots for; each freed slot asks for a claim again.
  }

  private start(row: ClaimedRow, upstream: Record<string, Record<string, unknown>>): void {
    const { jobId, jobTitle, config, handler, version, graph } = this.runtime;
    const ref: ClaimRef = {
      rowId: row.id,
      itemId: row.itemId,
      jobId,
      stage: config.name,
      owner: this.host.owner,
      attempts: row.attempts,
      version,
    };
    const controller = new AbortController();
    this.inflight.set(row.id, { controller, ref, itemId: row.itemId });
    const costs: CostEntry[] = [];
    const item: StageItem = {
      id: row.itemId,
      key: row.itemKey,
      data: JSON.parse(row.data) as Record<string, unknown>,
      priority: row.priority,
      attempt: row.attempts,
    };
    const log = this.host.log.child({ job: jobId, stage: config.name, item: row.itemId });
    const cost = (
      usd: number | null,
      d: { model?: string; tokensIn?: number; tokensOut?: number } = {},
    ) => {
      costs.push({ usd, ...d });
    };
    const ctx = {
      job: { id: jobId, title: jobTitle },
      stage: { name: config.name, version, params: config.params },
      signal: controller.signal,
      log,
      upstream,
      cost,
      ...this.host.contentContext({
        jobId,
        stage: config.name,
        itemId: row.itemId,
        upstream,
        signal: controller.signal,
        log,
        cost,
      }),
    };
    void executeHandler(
      handler,
      item,
      ctx,
      controller,
      config.timeout,
      config.allow_empty || handler.allowEmpty === true,
    )
      .then(async (exec): Promise<StageOutcome> => {
        if (exec.ok) {
          if (exec.costUsd !== undefined) costs.push({ usd: exec.costUsd });
          return {
            kind: 'done',
            output: exec.output,
            ...(exec.artifacts ? { artifacts: exec.artifacts } : {}),
            ...(exec.priority !== undefined ? { priority: exec.priority } : {}),
            ...(costs.length > 0 ? { costs } : {}),
          };
        }
        const cause = exec.failure.cause;
        // Our own aborts are not errors to diagnose: they map straight to their outcome.
        const verdict: Verdict =
          cause === 'shutdown' || cause === 'cancelled'
            ? { class: cause, source: 'signal' }
            : await this.host.classifier.classify(exec.failure, {
                jobId,
                stage: config.name,
                attempt: row.attempts,
                itemId: row.itemId,
              });
        if (verdict.pauseJob)
          this.host.pauseJob(jobId, verdict.pauseJob.reason, verdict.pauseJob.untilMs, verdict);
        log.debug({ err: exec.failure.message, class: verdict.class }, 'stage run failed');
        return decideOutcome(exec.failure, verdict, row.attempts, config.retry, Date.now(), costs);
      })
      .catch((err: unknown): StageOutcome => {
        // Only a classifier that threw lands here. The run still needs an outcome, or the
        // row would sit `running` until the reaper; retry it with the stage's backoff.
        log.error({ err }, 'classifying a failure threw; retrying the item');
        return {
          kind: 'retry',
          readyAt: Date.now() + config.retry.backoff,
          error: String(err),
          errorClass: 'transient',
        };
      })
      .then((outcome) => {
        this.inflight.delete(row.id);
        this.host.ticks.push({ ref, outcome, graph });
        if (this.inflight.size === 0 && this.mode === 'stopping') {
          for (const w of this.stoppedWaiters.splice(0)) w();
        }
        this.schedulePump();
      });
  }

  private armTimer(): void {
    this.clearTimer();
    if (this.mode !== 'running') return;
    let delay = this.pollMs;
    this.pollMs = Math.min(5000, this.pollMs * 2);
    if (this.nextRetryAt !== null)
      delay = Math.min(delay, Math.max(0, this.nextRetryAt - Date.now()));
    this.timer = setTimeout(() => this.schedulePump(), delay);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
