import { randomUUID } from 'node:crypto';
import { LiveConfig } from '../config/LiveConfig.ts';
import type { RetiredWork } from '../config/retiredWork.ts';
import type { LoadedConfig, LoadedJob } from '../config/loadConfig.ts';
import type { Db } from '../db/openDatabase.ts';
import type { DiscoveredItem } from '../discovery/types.ts';
import { EventBus } from '../events/EventBus.ts';
import {
  ContentRuntime,
  type ContentOptions,
  type ContextArgs,
} from '../builtins/ContentRuntime.ts';
import type { LoadedHandlerModule } from '../handler/loadHandlerModule.ts';
import { silentLogger, type Logger } from '../log/logger.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';
import { jobStates, setPaused, setResumed, type JobStateRow } from '../tracker/jobState.ts';
import { Tracker, type ApplyReport } from '../tracker/Tracker.ts';
import { TickLoop, type Completion } from './TickLoop.ts';
import { withPriorities } from '../config/priorityRules.ts';
import { chainedFrom } from '../discovery/chainedFrom.ts';
import type { ReloadResult } from './Host.ts';
import { ResourcePool } from '../resources/ResourcePool.ts';
import { NetworkMonitor, type NetworkState } from '../network/NetworkMonitor.ts';
import { stageNeedsNetwork } from '../network/networkNeeds.ts';
import { EventPruner } from './EventPruner.ts';
import { basicClassifier, type ErrorClassifier, type Verdict } from './ErrorClassifier.ts';
import { AbortReason } from './executeHandler.ts';
import { Reaper } from './Reaper.ts';
import {
  prepareConfig,
  stageVersions,
  type PreparedConfig,
  type PreparedJob,
} from './loadAndPrepare.ts';
import { DiscoveryScheduler } from './DiscoveryScheduler.ts';
import { StageWorker, type StageRuntime, type WorkerHost } from './StageWorker.ts';
import { syncJobStages } from './syncJobStages.ts';

/** See EngineOptions.suspectGraceMs. */
export const SUSPECT_GRACE_MS = 10_000;

export interface EngineOptions {
  db: Db;
  config: LoadedConfig;
  /** The host's live configuration, shared with the doctor and notifier; made here if absent. */
  live?: LiveConfig;
  log?: Logger;
  /** Lease owner id; unique per host start. */
  owner?: string;
  /** How long a claim is held without a heartbeat. Default 30 s; extended every lease/3. */
  leaseMs?: number;
  reaperIntervalMs?: number;
  /** Consecutive host deaths at which a running row is quarantined (tracker/crashPolicy.ts; 3). */
  quarantineAfterCrashes?: number;
  /**
   * Rows a host crash interrupted wait this long after start before they run again (default
   * 10 s), so a host that is killed again soon after each start never blames them.
   */
  suspectGraceMs?: number;
  classifier?: ErrorClassifier;
  bus?: EventBus;
  /** Run discovery rounds (off in tests that seed items themselves). Default true. */
  discovery?: boolean;
  /** Where discovery resolves `secret:NAME` header values (default: environment variables). */
  secrets?: SecretStore;
  /** Content stages: worker pool sizing, and the clock of the daily cost limit (tests). */
  content?: ContentOptions;
  /** Handler modules already loaded for `config` (runner/loadAndPrepare.ts); else loaded here. */
  prepared?: PreparedConfig;
  /** Replaces the network probe (tests simulate an outage); default: `network.probe` targets. */
  probe?: (targets: readonly string[], timeoutMs: number) => Promise<boolean>;
}

export type { PreparedConfig };

interface JobRuntime {
  config: LoadedJob;
  workers: Map<string, StageWorker>;
  module: LoadedHandlerModule | undefined;
  paused: boolean;
  resumeTimer?: NodeJS.Timeout;
}

/**
 * The engine: per-stage workers over the tracker, the completion queue that batches their
 * writes, the reaper and the lease heartbeat. It never imports electron; the desktop shell,
 * the headless host and tests all drive this same class.
 *
 * Modes: `created` → start() → `running` → stop() → `stopping` → `stopped`.
 */
export class Engine implements WorkerHost {
  mode: 'created' | 'running' | 'stopping' | 'stopped' = 'created';
  readonly tracker: Tracker;
  readonly ticks: TickLoop;
  /** Shared limits across jobs (top-level `resources:`), reconfigured live on reload. */
  readonly resources: ResourcePool;
  /** Deletes events older than `events_retention`, hourly. */
  readonly pruner: EventPruner;
  readonly classifier: ErrorClassifier;
  readonly owner: string;
  readonly leaseMs: number;
  readonly log: Logger;
  readonly bus: EventBus;
  readonly jobs = new Map<string, JobRuntime>();
  private readonly workersByKey = new Map<string, StageWorker>();
  /** Workers of removed jobs/stages finishing their in-flight runs. */
  private readonly retiring = new Set<StageWorker>();
  private readonly reaper: Reaper;
  private readonly timers: NodeJS.Timeout[] = [];
  private idleWaiters: (() => void)[] = [];
  private idleCheckScheduled = false;
  /** Set by the Host: re-reads jobs.yaml and applies it (or plans it with dryRun). */
  reloader: ((dryRun: boolean) => Promise<ReloadResult>) | undefined;
  /** The last reload's error while the previous good config keeps running; null when fine. */
  configError: { message: string; at: number } | null = null;
  /** Unfinished work of jobs or stages the config no longer has (set by the Host on reload). */
  retired: { at: number; work: RetiredWork[] } | null = null;
  /** Discovery rounds: schedules, guards, state (runner/DiscoveryScheduler.ts). */
  readonly discovery: DiscoveryScheduler;
  /** Tells an outage from one site being down; holds network stages while offline. */
  readonly network: NetworkMonitor;
  private contentRuntime: ContentRuntime | undefined;

  /** The one live configuration: every part of the engine reads it when it acts. */
  readonly live: LiveConfig;

  /** The config the engine runs now (a reload swaps it whole). */
  get config(): LoadedConfig {
    return this.live.current;
  }

  private constructor(
    readonly db: Db,
    config: LoadedConfig,
    private readonly options: EngineOptions,
  ) {
    this.log = options.log ?? silentLogger();
    const log = this.log;
    this.live =
      options.live ??
      new LiveConfig(config, (err) => log.error({ err }, 'a part failed to follow the reload'));
    this.owner = options.owner ?? `host-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.classifier = options.classifier ?? basicClassifier;
    this.bus = options.bus ?? new EventBus();
    this.discovery = new DiscoveryScheduler(this, { secrets: options.secrets });
    this.network = new NetworkMonitor({
      config: () => this.config.network,
      ...(options.probe ? { probe: options.probe } : {}),
      onChange: (state, info) => this.onNetworkChange(state, info),
      log: this.log,
    });
    this.classifier.useNetwork?.(this.network);
    this.tracker = new Tracker(db, options.quarantineAfterCrashes);
    this.resources = new ResourcePool(this.log);
    this.pruner = new EventPruner(db, () => this.config.events_retention, this.log);
    this.resources.configure(config.resources ?? {});
    // A freed slot may unblock any stage that shares the resource.
    this.resources.onRelease(() => {
      for (const w of this.workersByKey.values()) if (w.resourceBlocked) w.wake();
    });
    this.ticks = new TickLoop(
      this.tracker,
      (key) => this.workersByKey.get(key),
      (r, b) => this.onApplied(r, b),
      this.log,
    );
    this.reaper = new Reaper(
      this.tracker,
      this.owner,
      (rows) => {
        for (const r of rows) this.workersByKey.get(`${r.jobId}/${r.stage}`)?.wake();
      },
      this.log,
    );
  }

  /** Loads handler modules (async: TypeScript is transpiled) and builds every job's workers. */
  static async create(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options.db, options.config, options);
    const prepared = options.prepared ?? (await prepareConfig(options.config));
    for (const { job, p } of prepared.values()) engine.installJob(job, p, engine.syncJob(job, p));
    return engine;
  }

  private syncJob(job: LoadedJob, p: PreparedJob): JobStateRow | undefined {
    syncJobStages(this.db, job.id, job.graph, stageVersions(p));
    return jobStates(this.db).get(job.id);
  }

  private runtimeFor(
    job: LoadedJob,
    s: LoadedJob['stages'][number],
    p: PreparedJob,
  ): StageRuntime | undefined {
    const r = p.resolved.get(s.name);
    if (!r) return undefined;
    return {
      jobId: job.id,
      jobTitle: job.title ?? job.id,
      // The live config is frozen; a handler gets params it may write to, as it always could.
      config: { ...s, params: structuredClone(s.params) },
      handler: r.handler,
      version: r.version,
      graph: job.graph,
    };
  }

  /** Builds a job's workers (its stage rows are synced already; `state` is its pause state). */
  private installJob(job: LoadedJob, p: PreparedJob, state: JobStateRow | undefined): JobRuntime {
    const rt: JobRuntime = {
      config: job,
      workers: new Map(),
      module: p.module,
      paused: state?.paused === true,
    };
    for (const s of job.stages) {
      const runtime = this.runtimeFor(job, s, p);
      if (!runtime) continue;
      const worker = new StageWorker(runtime, this);
      if (rt.paused) worker.pause();
      rt.workers.set(s.name, worker);
      this.workersByKey.set(worker.key, worker);
    }
    this.jobs.set(job.id, rt);
    if (rt.paused && state?.until) this.armResume(rt, state.until);
    return rt;
  }

  /**
   * Hot reload: applies a new config without a restart. Every job's handler module is loaded
   * and resolved first; if any of that fails, nothing has changed (the caller keeps the old
   * config running). Then, synchronously: new jobs start; removed jobs stop claiming and finish
   * their in-flight items (their data stays); changed stages take their new concurrency,
   * timeout, retry policy, params and handler for the next run; new stages get rows for
   * existing items; shared resource limits change in place.
   */
  /**
   * Loads every enabled job's handler module for `next` and resolves its stages, changing
   * nothing: a reload plans and applies from this one load.
   */
  prepareConfig(next: LoadedConfig): Promise<PreparedConfig> {
    return prepareConfig(next);
  }

  async applyConfig(
    next: LoadedConfig,
    prepared?: PreparedConfig,
  ): Promise<{ added: string[]; removed: string[]; changed: string[] }> {
    prepared ??= await this.prepareConfig(next);
    const report = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
    // Every database write first, in one transaction: if it fails, nothing has changed —
    // neither the rows nor the config the engine runs — and the reload is refused whole.
    const states = this.db.transaction(() => {
      for (const { job, p } of prepared.values())
        syncJobStages(this.db, job.id, job.graph, stageVersions(p));
      return jobStates(this.db);
    })();
    // From here on only memory changes; nothing below can fail half-way on I/O.
    this.resources.configure(next.resources ?? {});
    this.live.set(next);
    for (const id of [...this.jobs.keys()]) {
      if (prepared.has(id)) continue;
      this.retireJob(id);
      report.removed.push(id);
    }
    for (const { job, p } of prepared.values()) {
      const rt = this.jobs.get(job.id);
      if (!rt) {
        const fresh = this.installJob(job, p, states.get(job.id));
        if (this.mode === 'running') for (const w of fresh.workers.values()) w.wake();
        report.added.push(job.id);
      } else if (this.updateJob(rt, job, p)) report.changed.push(job.id);
    }
    if (this.mode === 'running') this.discovery.reconfigure();
    this.scheduleIdleCheck();
    return report;
  }

  /** Applies a changed job to its live runtime; returns whether anything differed. */
  private updateJob(rt: JobRuntime, job: LoadedJob, p: PreparedJob): boolean {
    const changed = JSON.stringify(rt.config) !== JSON.stringify(job);
    rt.config = job;
    rt.module = p.module;
    for (const s of job.stages) {
      const runtime = this.runtimeFor(job, s, p);
      if (!runtime) continue;
      const existing = rt.workers.get(s.name);
      if (existing) {
        existing.runtime = runtime;
        if (this.mode === 'running') existing.wake();
        continue;
      }
      const worker = new StageWorker(runtime, this);
      if (rt.paused) worker.pause();
      rt.workers.set(s.name, worker);
      this.workersByKey.set(worker.key, worker);
      if (this.mode === 'running') worker.wake();
    }
    for (const [name, w] of rt.workers) {
      if (job.stages.some((s) => s.name === name)) continue;
      rt.workers.delete(name);
      this.retire(w);
    }
    return changed;
  }

  /** A job left the config: stop claiming, let in-flight runs finish; its data stays. */
  private retireJob(jobId: string): void {
    const rt = this.jobs.get(jobId);
    if (!rt) return;
    this.jobs.delete(jobId);
    clearTimeout(rt.resumeTimer);
    for (const w of rt.workers.values()) this.retire(w);
  }

  private retire(w: StageWorker): void {
    this.workersByKey.delete(w.key);
    this.retiring.add(w);
    void w.stop(Number.POSITIVE_INFINITY).then(() => {
      this.retiring.delete(w);
      this.scheduleIdleCheck();
    });
  }

  /** When rows a host crash interrupted may run again (start + the suspects' grace). */
  suspectsFrom = Number.POSITIVE_INFINITY;

  start(): void {
    if (this.mode !== 'created') throw new Error(`engine cannot start from mode ${this.mode}`);
    this.mode = 'running';
    this.suspectsFrom = Date.now() + (this.options.suspectGraceMs ?? SUSPECT_GRACE_MS);
    // Rows left `running` by a dead host are ours to redo, now rather than after their lease.
    this.reaper.reap(Date.now(), true);
    this.reaper.start(this.options.reaperIntervalMs ?? 5000);
    this.resources.start();
    this.pruner.start();
    const heartbeat = setInterval(
      () => {
        try {
          this.tracker.extendLeases(this.owner, Date.now() + this.leaseMs);
        } catch (err) {
          // Missed once, retried at the next tick; leases last three ticks.
          this.log.error({ err }, 'extending leases failed');
        }
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    heartbeat.unref();
    this.timers.push(heartbeat);
    // Pauses written by another process (the CLI with no control channel) are noticed here.
    const statePoll = setInterval(() => this.syncPauseState(), 1000);
    statePoll.unref();
    this.timers.push(statePoll);
    for (const rt of this.jobs.values()) {
      for (const w of rt.workers.values()) w.wake();
    }
    if (this.options.discovery !== false) this.discovery.start();
    this.bus.emit({ type: 'host', state: 'started' });
    this.log.info({ owner: this.owner, jobs: [...this.jobs.keys()] }, 'engine started');
  }

  /**
   * Graceful stop: no new claims or discovery, wait for in-flight runs until the deadline,
   * hand the rest back, write everything queued. Never loses an item.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.mode === 'stopped' || this.mode === 'stopping') return;
    this.mode = 'stopping';
    this.bus.emit({ type: 'host', state: 'stopping' });
    this.network.stop();
    const discoveryStopped = this.discovery.stop();
    this.reaper.stop();
    this.resources.stop();
    this.pruner.stop();
    for (const t of this.timers) clearInterval(t);
    for (const rt of this.jobs.values()) {
      clearTimeout(rt.resumeTimer);
    }
    const deadline = Date.now() + graceMs;
    await Promise.all(
      [...this.workersByKey.values(), ...this.retiring].map((w) => w.stop(deadline)),
    );
    this.ticks.flushNow();
    await this.ticks.drained();
    await discoveryStopped;
    await this.contentRuntime?.close(); // the worker pool ends with the engine
    this.mode = 'stopped';
    this.bus.emit({ type: 'host', state: 'stopped' });
    this.log.info('engine stopped');
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves when nothing is ready: every worker idle, nothing in flight or queued. */
  waitIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.scheduleIdleCheck();
    });
  }

  isIdle(): boolean {
    if (this.discovery.busy) return false;
    if (this.ticks.size > 0) return false;
    for (const w of this.retiring) if (w.inflight.size > 0) return false;
    for (const rt of this.jobs.values()) {
      for (const w of rt.workers.values()) {
        if (w.inflight.size > 0) return false;
        if (w.mode === 'running' && !w.idle) return false;
      }
    }
    return true;
  }

  onIdle(): void {
    this.scheduleIdleCheck();
  }

  private scheduleIdleCheck(): void {
    if (this.idleCheckScheduled || this.idleWaiters.length === 0) return;
    this.idleCheckScheduled = true;
    // After the current turn: woken workers pump on microtasks first, so a hand-off in
    // progress is never mistaken for idleness.
    setImmediate(() => {
      this.idleCheckScheduled = false;
      if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
    });
  }

  private onApplied(report: ApplyReport, batch: Completion[]): void {
    // Promoted dependents were already claimed for inside the TickLoop's transaction.
    for (const [key, at] of report.retryAt) this.workersByKey.get(key)?.noteRetry(at);
    // A run that had to run alone (a row one crash from quarantine) may just have ended: every
    // stage found nothing to claim while it ran. Only after runs end, so a claim that finds
    // nothing never wakes itself again.
    if (batch.length > 0 && this.tracker.gateLifted()) {
      for (const w of this.workersByKey.values()) {
        w.idle = false;
        w.wake();
      }
    }
    for (const lost of report.lost)
      this.log.warn({ reason: lost.reason, row: lost.stageRowId }, lost.message);
    const perJob = new Map<string, Record<string, number>>();
    for (const c of batch) {
      let m = perJob.get(c.ref.jobId);
      if (!m) perJob.set(c.ref.jobId, (m = {}));
      m[c.outcome.kind] = (m[c.outcome.kind] ?? 0) + 1;
    }
    for (const [jobId, stages] of perJob) this.bus.emit({ type: 'progress', jobId, stages });
    // Chained jobs look again as soon as their source job finishes items, instead of at their
    // next scheduled round (coalesced: one round per 250 ms however many items finished).
    for (const key of report.done.keys()) {
      for (const downstream of chainedFrom(this.config, key))
        this.discovery.trigger(downstream, 250);
    }
    this.content.afterBatch(batch);
    this.scheduleIdleCheck();
  }

  /** Stage workers (and discoveries) held for the network, as `job/stage` keys. */
  offlineHeld(): string[] {
    const held: string[] = [];
    for (const w of this.workersByKey.values()) if (w.offline) held.push(w.key);
    return held;
  }

  networkState(): NetworkState {
    return this.network.snapshot([...this.offlineHeld(), ...this.discovery.offlineHeld()]);
  }

  /**
   * The network went down: hold every stage that failed with a network error and every
   * built-in stage that needs the network (fetch, LLM calls to a remote provider); discovery
   * of network sources waits too (DiscoveryScheduler asks `network.down`). It came back:
   * release them all, and look for new items at once.
   */
  private onNetworkChange(state: 'up' | 'down', info: NetworkState): void {
    const now = Date.now();
    for (const w of this.workersByKey.values()) {
      if (state === 'up') w.setOffline(false);
      else if (this.network.stages.has(w.key) || stageNeedsNetwork(w.runtime.config, this.config))
        w.setOffline(true);
    }
    const held = this.networkState().held;
    this.tracker.event(
      {
        kind: state === 'down' ? 'network_down' : 'network_up',
        data: {
          since: info.since,
          failed_hosts: info.failedHosts,
          probe: info.probe,
          ...(state === 'down' ? { held } : { down_ms: now - (info.since ?? now) }),
        },
      },
      now,
    );
    this.bus.emit({
      type: 'attention',
      jobId: null,
      level: state === 'down' ? 'warning' : 'info',
      title: state === 'down' ? 'Offline: waiting for the network' : 'Back online',
      message:
        state === 'down'
          ? `Requests fail and ${info.probe.join(', ')} cannot be reached. ${held.length} stage(s) and discoveries wait; nothing fails meanwhile. Probing every ${Math.round((this.config.network?.probe_every ?? 30_000) / 1000)} s.`
          : `The network is back after ${Math.round((now - (info.since ?? now)) / 1000)} s; work resumes.`,
    });
    // Held stages woke as they were released above; discovery looks again at once.
    if (state === 'up' && this.mode === 'running') this.discovery.networkBack();
  }

  /** Artifacts, worker pool, LLM client, cost guard: created on first use, closed by stop(). */
  get content(): ContentRuntime {
    return (this.contentRuntime ??= new ContentRuntime(
      {
        db: this.db,
        live: this.live,
        log: this.log,
        bus: this.bus,
        pauseJob: (jobId, reason, untilMs) => this.pauseJob(jobId, reason, untilMs),
        validateHook: (jobId) => this.jobs.get(jobId)?.module?.validate,
      },
      {
        ...this.options.content,
        ...(this.options.secrets ? { secrets: this.options.secrets } : {}),
      },
    ));
  }

  contentContext(args: ContextArgs): ReturnType<ContentRuntime['contextFor']> {
    return this.content.contextFor(args);
  }

  /** Wakes one job's (or every job's) stage workers now. Returns the jobs woken. */
  wake(jobId?: string): string[] {
    const woken: string[] = [];
    for (const [id, rt] of this.jobs) {
      if (jobId && id !== jobId) continue;
      for (const w of rt.workers.values()) {
        w.idle = false;
        w.wake();
      }
      woken.push(id);
    }
    return woken;
  }

  /**
   * `jobctl wake`: idle stage workers claim now and discovery runs a round now (coalesced
   * with one already due), for one job or all. Acts within one event-loop turn.
   */
  wakeAll(jobId?: string): string[] {
    const woken = this.wake(jobId);
    if (this.mode === 'running') for (const id of woken) this.discovery.trigger(id, 0);
    return woken;
  }

  /** Adds items to a job and wakes its root stages. */
  addItems(
    jobId: string,
    items: DiscoveredItem[],
  ): { inserted: number; merged: number; ids: number[] } {
    const rt = this.jobs.get(jobId);
    if (!rt) throw new Error(`unknown job \`${jobId}\``);
    const res = this.tracker.addItems(
      jobId,
      withPriorities(rt.config.priority_rules, items).map((i) => ({
        key: i.key,
        data: i.data,
        ...(i.priority !== undefined ? { priority: i.priority } : {}),
        sourceItemId: i.sourceItemId ?? null,
      })),
      rt.config.graph,
      this.discovery.mergeFnFor(jobId),
    );
    if (res.inserted > 0) this.wake(jobId);
    return res;
  }

  pauseJob(jobId: string, reason: string, untilMs: number | undefined, verdict?: Verdict): void {
    const now = Date.now();
    // A later, shorter pause (a temporal error or an error storm from a run still in flight)
    // must not lift one that waits for a person or lasts longer: the stronger pause stands.
    const current = this.jobs.get(jobId)?.paused ? jobStates(this.db).get(jobId) : undefined;
    if (
      current?.paused &&
      untilMs !== undefined &&
      (current.until === null || current.until >= untilMs)
    ) {
      this.log.info({ jobId, reason, kept: current.reason }, 'job already paused for longer; kept');
      return;
    }
    setPaused(this.db, jobId, reason, untilMs ?? null, now);
    this.tracker.event(
      {
        jobId,
        kind: 'job_paused',
        data: {
          reason,
          until: untilMs ?? null,
          ...(verdict ? { class: verdict.class, source: verdict.source } : {}),
        },
      },
      now,
    );
    const rt = this.jobs.get(jobId);
    if (rt) this.applyPause(rt, true, untilMs ?? null);
    this.bus.emit({ type: 'job_state', jobId, paused: true, reason, until: untilMs ?? null });
  }

  resumeJob(jobId: string, why = 'resumed'): void {
    const now = Date.now();
    setResumed(this.db, jobId, now);
    this.tracker.event({ jobId, kind: 'job_resumed', data: { why } }, now);
    const rt = this.jobs.get(jobId);
    if (rt) this.applyPause(rt, false, null);
    this.bus.emit({ type: 'job_state', jobId, paused: false });
  }

  /** Aborts the item's running stage, if it runs here. */
  cancelRunning(itemId: number): boolean {
    for (const w of this.workersByKey.values()) {
      if (w.abortItem(itemId, new AbortReason('cancelled', 'cancelled by user'))) return true;
    }
    return false;
  }

  private applyPause(rt: JobRuntime, paused: boolean, until: number | null): void {
    rt.paused = paused;
    clearTimeout(rt.resumeTimer);
    for (const w of rt.workers.values()) {
      if (paused) w.pause();
      else w.resume();
    }
    if (paused && until) this.armResume(rt, until);
  }

  private armResume(rt: JobRuntime, until: number): void {
    clearTimeout(rt.resumeTimer);
    // setTimeout overflows past ~24.8 days; re-arm in steps.
    const delay = Math.min(Math.max(0, until - Date.now()), 2 ** 31 - 1);
    rt.resumeTimer = setTimeout(() => {
      if (Date.now() >= until) this.resumeJob(rt.config.id, 'pause expired');
      else this.armResume(rt, until);
    }, delay);
    rt.resumeTimer.unref();
  }

  private syncPauseState(): void {
    let states: ReturnType<typeof jobStates>;
    try {
      states = jobStates(this.db);
    } catch (err) {
      // A locked file delays noticing an external pause by one tick; nothing else depends on it.
      this.log.warn({ err }, 'reading job states failed');
      return;
    }
    for (const [jobId, st] of states) {
      const rt = this.jobs.get(jobId);
      if (rt && rt.paused !== st.paused) this.applyPause(rt, st.paused, st.until);
    }
  }

  /** One discovery round now, awaited (also what a wake of discovery does). */
  async discoverOnce(rt: JobRuntime): Promise<void> {
    await this.discovery.runNow(rt.config.id);
  }
}
