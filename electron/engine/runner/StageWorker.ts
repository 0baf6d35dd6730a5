import { redactor } from '../secrets/Redactor.ts';
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
import { AbortReason, executeHandler, type Execution } from './executeHandler.ts';
import { coerceError } from './coerceError.ts';
import type { NetworkMonitor } from '../network/NetworkMonitor.ts';
import { Slowdown } from '../resources/Slowdown.ts';
import {
  ResourceHeld,
  resourceKey,
  type ResourcePool,
  type ResourceUse,
  type Slot,
} from '../resources/ResourcePool.ts';

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
  /** Shared limits (top-level `resources:`) this stage's runs hold. */
  resources: ResourcePool;
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
  /** Judges network-looking failures: is the machine offline, or is one site down? */
  network: NetworkMonitor;
  /** When rows a host crash interrupted may run again (the host's warm-up after start). */
  suspectsFrom: number;
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
  /** Slots taken by the claim in the current transaction, handed to the runs it starts. */
  private claimSlots: Slot[] = [];
  /** The last claim found ready work blocked by a full shared resource. */
  resourceBlocked = false;
  /**
   * Held while the network is down (the engine sets it): nothing is claimed, and the items
   * stay as they are until a probe gets through.
   */
  offline = false;
  /** Rate limits on a stage that uses no shared resource slow the stage itself. */
  private slow: Slowdown | null = null;

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

  /** The network went down (true) or came back (false). */
  setOffline(offline: boolean): void {
    if (this.offline === offline) return;
    this.offline = offline;
    if (offline) this.clearTimer();
    else this.wake();
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
      let t: NodeJS.Timeout | undefined;
      // No deadline (a job removed by reload): in-flight runs simply finish. A later stop()
      // with a deadline (host shutdown) still aborts whatever is left.
      const timeout = Number.isFinite(deadline)
        ? new Promise<void>((r) => (t = setTimeout(r, Math.max(0, deadline - Date.now()))))
        : new Promise<void>(() => undefined);
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
    this.resourceBlocked = false;
    if (this.mode !== 'running' || this.offline) return [];
    let free = this.runtime.config.concurrency - this.inflight.size;
    if (this.slow) {
      const held = this.slow.heldFor(now);
      if (held > 0) {
        // A rate limit's Retry-After: nothing new starts; the timer looks again when it ends.
        this.resourceBlocked = true;
        this.armTimer(held);
        return [];
      }
      free = this.slow.cap(this.runtime.config.concurrency, now) - this.inflight.size;
    }
    if (free <= 0) return [];
    const { jobId, config } = this.runtime;
    const uses = this.uses();
    const pool = this.host.resources;
    if (uses.length > 0) {
      const room = pool.headroom(uses, now);
      if (room <= 0) {
        // Ready work may be waiting; a freed slot or the next rate token wakes us, not a poll.
        this.resourceBlocked = true;
        this.armTimer(pool.msUntilAvailable(uses, now) || undefined);
        return [];
      }
      free = Math.min(free, room);
    }
    const tracker = this.host.tracker;
    if (this.nextRetryAt !== null && this.nextRetryAt <= now) {
      tracker.promoteDueRetries(jobId, config.name, now);
      this.nextRetryAt = tracker.nextRetryDue(jobId, config.name);
    }
    const suspects = now >= this.host.suspectsFrom;
    const rows = tracker.claim({
      jobId,
      stage: config.name,
      owner: this.host.owner,
      limit: free,
      now,
      leaseUntil: now + this.host.leaseMs,
      suspects,
    });
    if (!suspects && rows.length < free && tracker.hasCrashedPending(jobId, config.name)) {
      // Rows a crash interrupted wait out the host's warm-up; not idle, look again then.
      this.resourceBlocked = true;
      this.armTimer(this.host.suspectsFrom - now);
    }
    // Slots are taken now, in the same turn as the headroom check, so two workers sharing a
    // resource can never both take its last slot.
    if (uses.length > 0) {
      for (let i = 0; i < rows.length; i++)
        this.claimSlots.push(pool.take(uses, config.timeout + 60_000, now));
    }
    return rows;
  }

  /** The TickLoop's transaction failed: the claim never happened, give its slots back. */
  rollbackClaim(): void {
    for (const s of this.claimSlots.splice(0)) s.release();
  }

  /** Resource uses of this stage, normalised from YAML (`openai` or `{ name, per }`). */
  private uses(): ResourceUse[] {
    return this.runtime.config.resources.map((u) => (typeof u === 'string' ? { name: u } : u));
  }

  /** Nothing was claimable: go idle (when nothing runs) and arm the safety poll. */
  noteEmpty(): void {
    if (this.mode !== 'running') return;
    if (this.resourceBlocked) return; // not idle: work is ready, a resource is full
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
    // Every finished stage upstream (not just the direct dependencies): a fan-in stage
    // sees the fetch two steps back as well as the two branches it waits for.
    const deps = this.runtime.graph.upstream.get(this.runtime.config.name) ?? [];
    const upstream =
      deps.length > 0
        ? this.host.tracker.upstreamResults(
            rows.map((r) => r.itemId),
            deps,
          )
        : undefined;
    for (const row of rows)
      this.start(row, upstream?.get(row.itemId) ?? {}, this.claimSlots.shift());
    // More may be pending than we had slots for; each freed slot asks for a claim again.
  }

  private start(
    row: ClaimedRow,
    upstream: Record<string, Record<string, unknown>>,
    claimSlot: Slot | undefined,
  ): void {
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
    // The run's logger is made on first use: a pino child costs ~3 µs, and most runs never log.
    let childLog: Logger | undefined;
    const runLog = (): Logger =>
      (childLog ??= this.host.log.child({ job: jobId, stage: config.name, item: row.itemId }));
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
      get log() {
        return runLog();
      },
      upstream,
      cost,
      ...this.host.contentContext({
        jobId,
        stage: config.name,
        itemId: row.itemId,
        upstream,
        signal: controller.signal,
        get log() {
          return runLog();
        },
        cost,
      }),
    };
    const slots: Slot[] = claimSlot ? [claimSlot] : [];
    const perHost = this.uses().some((u) => u.per === 'host');
    const site = siteOf(item);
    void this.acquireKeyed(item, controller.signal, slots)
      .then(
        () =>
          executeHandler(
            handler,
            item,
            ctx,
            controller,
            config.timeout,
            config.allow_empty || handler.allowEmpty === true,
          ),
        (err: unknown): Execution => {
          // Aborted while waiting for a keyed slot (cancel, shutdown): same outcome as an abort
          // during the run.
          const reason: unknown = controller.signal.reason;
          return reason instanceof AbortReason
            ? { ok: false, failure: coerceError(reason, reason.kind) }
            : { ok: false, failure: coerceError(err) };
        },
      )
      .then(async (exec): Promise<StageOutcome> => {
        if (exec.ok) {
          if (exec.costUsd !== undefined) costs.push({ usd: exec.costUsd });
          if (perHost && site) this.host.classifier.succeeded?.(jobId, site);
          return {
            kind: 'done',
            // Redacted here, as the run ends, not inside the write transaction that stores it
            // (secrets/Redactor.ts): a long output costs a millisecond the writer need not wait.
            output: redactor.redactDeep(exec.output),
            ...(exec.artifacts ? { artifacts: exec.artifacts } : {}),
            ...(exec.priority !== undefined ? { priority: exec.priority } : {}),
            ...(costs.length > 0 ? { costs } : {}),
          };
        }
        const held = exec.failure.error;
        if (held instanceof ResourceHeld) {
          // The site asked us to wait (a rate limit's Retry-After): not the item's fault.
          return {
            kind: 'retry',
            readyAt: held.until,
            error: held.message,
            errorClass: 'rate_limited',
            refundAttempt: true,
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
                ...(site ? { host: site } : {}),
                perHost,
              });
        // The doctor asked the network monitor already; while the network is down this stage waits.
        if (verdict.tag === 'network' && this.host.network.down) this.setOffline(true);
        if (verdict.throttleMs !== undefined) this.throttle(item, verdict.throttleMs);
        if (verdict.pauseJob)
          this.host.pauseJob(jobId, verdict.pauseJob.reason, verdict.pauseJob.untilMs, verdict);
        runLog().debug({ err: exec.failure.message, class: verdict.class }, 'stage run failed');
        return decideOutcome(exec.failure, verdict, row.attempts, config.retry, Date.now(), costs);
      })
      .catch((err: unknown): StageOutcome => {
        // Only a classifier that threw lands here. The run still needs an outcome, or the
        // row would sit `running` until the reaper; retry it with the stage's backoff.
        runLog().error({ err }, 'classifying a failure threw; retrying the item');
        return {
          kind: 'retry',
          readyAt: Date.now() + config.retry.backoff,
          error: String(err),
          errorClass: 'transient',
        };
      })
      .then((outcome) => {
        // Whatever happened, the run's resource slots go back now (they would also expire).
        for (const slot of slots) slot.release();
        this.inflight.delete(row.id);
        this.host.ticks.push({ ref, outcome, graph });
        if (this.inflight.size === 0 && this.mode === 'stopping') {
          for (const w of this.stoppedWaiters.splice(0)) w();
        }
        this.schedulePump();
      });
  }

  /**
   * A rate limit: the shared resources this stage holds wait out the Retry-After and slow
   * down for every stage that shares them; a stage that uses none slows itself.
   */
  private throttle(item: StageItem, holdMs: number): void {
    const now = Date.now();
    const uses = this.uses();
    if (uses.some((u) => this.host.resources.has(u.name))) {
      // Kept per site: only that site's cell slows; one site's Retry-After must not stop the others.
      const keyed = uses.filter((u) => u.per);
      const host = keyed.length > 0 ? (siteOf(item) ?? 'unknown') : '';
      this.host.resources.penalize(keyed.length > 0 ? keyed : uses, host, holdMs, now);
      return;
    }
    this.slow ??= new Slowdown();
    this.slow.penalize(holdMs, now);
  }

  /**
   * Waits for keyed resources (`per: host`) before the run starts. An abort while waiting
   * (cancel, shutdown) rejects, and the run ends through the normal failure path.
   */
  private async acquireKeyed(item: StageItem, signal: AbortSignal, slots: Slot[]): Promise<void> {
    for (const use of this.uses()) {
      if (!use.per) continue;
      slots.push(
        await this.host.resources.acquire(
          use,
          resourceKey(use, item),
          this.runtime.config.timeout + 60_000,
          signal,
        ),
      );
    }
  }

  private armTimer(delayMs?: number): void {
    this.clearTimer();
    if (this.mode !== 'running') return;
    let delay = delayMs ?? this.pollMs;
    if (delayMs === undefined) this.pollMs = Math.min(5000, this.pollMs * 2);
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

/** The site an item belongs to: the host of its URL (data.url, else its key), if any. */
function siteOf(item: StageItem): string | undefined {
  const host = resourceKey({ name: '', per: 'host' }, item);
  return host === 'unknown' ? undefined : host;
}
