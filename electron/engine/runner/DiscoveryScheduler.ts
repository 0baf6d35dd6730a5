import { formatDuration } from '../config/duration.ts';
import type { LoadedConfig, LoadedJob } from '../config/loadConfig.ts';
import type { Db } from '../db/openDatabase.ts';
import { DiscoveryStateStore, type DiscoveryStateRow } from '../discovery/DiscoveryStateStore.ts';
import {
  mergeProvenance,
  resolveMergePolicy,
  type MergePolicy,
} from '../discovery/mergeProvenance.ts';
import { quietAfterOf } from '../discovery/quietAfter.ts';
import { builtinStrategies } from '../discovery/registry.ts';
import { firstRoundDelay, nextRoundDelay } from '../discovery/schedule.ts';
import type { DiscoveredItem, DiscoveryStrategy } from '../discovery/types.ts';
import type { EventBus } from '../events/EventBus.ts';
import type { LoadedHandlerModule } from '../handler/loadHandlerModule.ts';
import type { Logger } from '../log/logger.ts';
import { EnvSecretStore, type SecretStore } from '../secrets/SecretStore.ts';
import type { MergeFn, Tracker } from '../tracker/Tracker.ts';
import { backoffMs } from './backoff.ts';
import { classifyDiscoveryError } from './classifyDiscoveryError.ts';
import type { ErrorClassifier, Verdict } from './ErrorClassifier.ts';
import { AbortReason } from './executeHandler.ts';
import { runDiscovery } from './runDiscovery.ts';
import { redact } from '../doctor/redact.ts';
import type { NetworkMonitor } from '../network/NetworkMonitor.ts';
import { discoveryNeedsNetwork } from '../network/networkNeeds.ts';

/** What the scheduler needs from the engine (Engine implements it). */
export interface DiscoveryHost {
  readonly db: Db;
  readonly tracker: Tracker;
  readonly log: Logger;
  readonly bus: EventBus;
  readonly classifier: ErrorClassifier;
  readonly config: LoadedConfig;
  readonly jobs: ReadonlyMap<
    string,
    { config: LoadedJob; module: LoadedHandlerModule | undefined; paused: boolean }
  >;
  addItems(
    jobId: string,
    items: DiscoveredItem[],
  ): { inserted: number; merged: number; ids: number[] };
  pauseJob(jobId: string, reason: string, untilMs: number | undefined, verdict: Verdict): void;
  /** Something may have become idle (drain detection). */
  onIdle(): void;
  /** While it is down, sources on the network are not asked (and their silence is no error). */
  readonly network: NetworkMonitor;
}

interface JobDiscovery {
  jobId: string;
  timer?: NodeJS.Timeout;
  /** A round is executing. */
  running: boolean;
  /** A round is due now (start, wake, a watcher): drain must wait for it. */
  queued: boolean;
  /** Asked for while running: run once more right after. */
  again: boolean;
  row: DiscoveryStateRow;
  stopWatch?: () => Promise<void>;
  /** The discovery config this schedule was built from (reload compares it). */
  signature?: string;
  /** Its last round was put off because the network is down. */
  offline?: boolean;
}

/** Error backoff bounds: a failing source is retried after 30 s, doubling up to 1 h. */
const ERROR_BACKOFF_BASE_MS = 30_000;
const ERROR_BACKOFF_MAX_MS = 3_600_000;
/** A watcher's burst of file events (a copy of 200 files) becomes one round. */
const WATCH_DEBOUNCE_MS = 200;

/**
 * When discovery runs, moved out of Engine: per-job timers (`every`/`cron` + jitter),
 * backfill cadence and exhaustion, the `max_pending` guard, error handling through the
 * doctor (429 → back off, expired login → pause the job), the per-round event, the
 * "source went quiet" alert, and the state that survives restarts (discovery_state).
 *
 * Modes: `created` → start() → `running` → stop() → `stopped`. Per job, a round is either
 * scheduled (timer), queued (due now), running, or — for an exhausted backfill — over.
 */
export class DiscoveryScheduler {
  mode: 'created' | 'running' | 'stopped' = 'created';
  private readonly store: DiscoveryStateStore;
  private readonly perJob = new Map<string, JobDiscovery>();
  private readonly abort = new AbortController();
  private readonly secrets: SecretStore;

  constructor(
    private readonly host: DiscoveryHost,
    options: { secrets?: SecretStore | undefined } = {},
  ) {
    this.store = new DiscoveryStateStore(host.db);
    this.secrets = options.secrets ?? new EnvSecretStore();
  }

  /** Jobs whose discovery waits for the network, as `job/_discovery` keys. */
  offlineHeld(): string[] {
    return [...this.perJob.values()]
      .filter((jd) => jd.offline)
      .map((jd) => `${jd.jobId}/_discovery`);
  }

  /** The network is back: every round put off for it runs now. */
  networkBack(): void {
    for (const jd of this.perJob.values()) {
      if (!jd.offline) continue;
      jd.offline = false;
      this.trigger(jd.jobId, 0);
    }
  }

  start(): void {
    if (this.mode !== 'created') throw new Error(`discovery cannot start from mode ${this.mode}`);
    this.mode = 'running';
    const now = Date.now();
    for (const [jobId, rt] of this.host.jobs) this.setUp(jobId, rt, now);
  }

  /** Schedules a job's first round (respecting its last round and error backoff) and watcher. */
  private setUp(
    jobId: string,
    rt: { config: LoadedJob; module: LoadedHandlerModule | undefined },
    now: number,
  ): void {
    const d = rt.config.discovery;
    if (!d) return;
    const jd = this.jobFor(jobId);
    jd.signature = signatureOf(rt.config);
    if (jd.row.exhaustedAt !== null) return;
    let delay = firstRoundDelay(d, rt.config.kind, jd.row.lastRoundAt, now);
    if (jd.row.backoffUntil !== null) delay = Math.max(delay, jd.row.backoffUntil - now);
    this.schedule(jd, delay);
    this.startWatch(jd, rt);
  }

  /**
   * Hot reload: follows the engine's current jobs. New jobs get a schedule, removed ones stop
   * (their state row stays), and a job whose discovery settings changed is rescheduled from
   * its recorded last round — unchanged jobs keep their timers untouched.
   */
  reconfigure(): void {
    if (this.mode !== 'running') return;
    const now = Date.now();
    for (const [jobId, jd] of this.perJob) {
      const rt = this.host.jobs.get(jobId);
      if (rt && jd.signature === signatureOf(rt.config)) continue;
      clearTimeout(jd.timer);
      jd.queued = false;
      // A watcher that fails to close only costs a stray trigger, which finds no job.
      void jd.stopWatch?.().catch(() => undefined);
      delete jd.stopWatch;
      delete jd.signature;
      if (rt?.config.discovery) this.setUp(jobId, rt, now);
      else if (!jd.running) this.perJob.delete(jobId);
    }
    for (const [jobId, rt] of this.host.jobs) {
      if (!this.perJob.get(jobId)?.signature) this.setUp(jobId, rt, now);
    }
  }

  /** Stops timers and watchers and aborts rounds in flight (their state is not kept). */
  async stop(): Promise<void> {
    if (this.mode === 'stopped') return;
    this.mode = 'stopped';
    this.abort.abort(new AbortReason('shutdown', 'host is shutting down'));
    const closing: Promise<void>[] = [];
    for (const jd of this.perJob.values()) {
      clearTimeout(jd.timer);
      jd.queued = false;
      if (jd.stopWatch) closing.push(jd.stopWatch().catch(() => undefined));
    }
    await Promise.all(closing);
  }

  /** True while any round runs or is due now (drain waits for it). */
  get busy(): boolean {
    for (const jd of this.perJob.values()) if (jd.running || jd.queued) return true;
    return false;
  }

  /** The job's discovery bookkeeping (what `jobctl why` shows). */
  status(jobId: string): DiscoveryStateRow {
    return { ...this.jobFor(jobId).row };
  }

  /** Asks for a round soon (wake, a watcher): coalesced with one already due or running. */
  trigger(jobId: string, delayMs = 0): void {
    const jd = this.perJob.get(jobId);
    if (!jd || this.mode !== 'running') return;
    if (jd.running) {
      jd.again = true;
      return;
    }
    this.schedule(jd, delayMs);
    // Asked for now-ish (wake, a chained job's source finished items): drain waits for it.
    jd.queued = true;
  }

  /** One round now, awaited (tests, `wake`). A round already running is not doubled. */
  async runNow(jobId: string): Promise<void> {
    const jd = this.jobFor(jobId);
    clearTimeout(jd.timer);
    await this.round(jd);
  }

  private jobFor(jobId: string): JobDiscovery {
    let jd = this.perJob.get(jobId);
    if (!jd) {
      jd = { jobId, running: false, queued: false, again: false, row: this.store.load(jobId) };
      this.perJob.set(jobId, jd);
    }
    return jd;
  }

  private schedule(jd: JobDiscovery, delayMs: number): void {
    if (this.mode !== 'running') return;
    clearTimeout(jd.timer);
    const delay = Math.min(Math.max(0, delayMs), 2 ** 31 - 1);
    if (delay === 0) jd.queued = true;
    jd.row.nextRoundAt = Date.now() + delay;
    jd.timer = setTimeout(() => void this.round(jd), delay);
    jd.timer.unref();
  }

  private scheduleNext(jd: JobDiscovery, rt: { config: LoadedJob }, minDelay = 0): void {
    const d = rt.config.discovery;
    if (!d || jd.row.exhaustedAt !== null) return;
    const next = nextRoundDelay(d, rt.config.kind);
    if (next === undefined && minDelay === 0) {
      jd.row.nextRoundAt = null;
      return;
    }
    this.schedule(jd, Math.max(next ?? 0, minDelay));
  }

  private startWatch(
    jd: JobDiscovery,
    rt: { config: LoadedJob; module: LoadedHandlerModule | undefined },
  ): void {
    const d = rt.config.discovery;
    if (!d) return;
    const strategy = this.strategyOf(rt, d.strategy);
    if (!strategy?.watch) return;
    const parsed = strategy.paramsSchema.safeParse(d.params);
    if (!parsed.success) return; // the first round reports the bad params
    try {
      jd.stopWatch = strategy.watch(
        parsed.data,
        {
          jobId: jd.jobId,
          signal: this.abort.signal,
          log: this.host.log.child({ job: jd.jobId, discovery: d.strategy }),
          baseDir: this.host.config.baseDir,
          dataDir: this.host.config.dataDir,
          state: {},
          mode: rt.config.kind === 'backfill' ? 'backfill' : 'monitor',
          exhausted: () => undefined,
          secrets: this.secrets,
          db: this.host.db,
          findStrategy: (name) => {
            const s = this.strategyOf(rt, name);
            if (!s) throw new Error(`unknown discovery strategy \`${name}\``);
            return s;
          },
        },
        () => this.trigger(jd.jobId, WATCH_DEBOUNCE_MS),
      );
    } catch (err) {
      // Without a watcher the schedule still finds new files; only the shortcut is lost.
      this.host.log.warn({ err, job: jd.jobId }, 'discovery watcher could not start');
    }
  }

  private strategyOf(
    rt: { module: LoadedHandlerModule | undefined },
    name: string,
  ): DiscoveryStrategy | undefined {
    return rt.module?.strategies.find((s) => s.name === name) ?? builtinStrategies().get(name);
  }

  private mergeFor(rt: { config: LoadedJob; module: LoadedHandlerModule | undefined }): MergeFn {
    const d = rt.config.discovery;
    const policy: MergePolicy = resolveMergePolicy(
      d?.merge,
      d ? this.strategyOf(rt, d.strategy)?.mergeDefaults : undefined,
    );
    return (a, b) => mergeProvenance(a, b, policy);
  }

  /** Merge policy of a job, for Engine.addItems (add-URL and discovery alike). */
  mergeFnFor(jobId: string): MergeFn | undefined {
    const rt = this.host.jobs.get(jobId);
    return rt ? this.mergeFor(rt) : undefined;
  }

  private async round(jd: JobDiscovery): Promise<void> {
    jd.queued = false;
    const rt = this.host.jobs.get(jd.jobId);
    if (!rt?.config.discovery || this.mode === 'stopped' || jd.running) return;
    const d = rt.config.discovery;
    const now = Date.now();
    if (rt.paused) {
      // A paused job finds nothing new; looking again at the normal cadence is enough.
      this.scheduleNext(jd, rt);
      this.host.onIdle();
      return;
    }
    if (this.host.network.down && discoveryNeedsNetwork(rt.config)) {
      // Offline: asking the source would only fail; the network's return triggers a round.
      jd.offline = true;
      this.scheduleNext(jd, rt);
      this.host.onIdle();
      return;
    }
    if (jd.row.backoffUntil !== null && jd.row.backoffUntil > now) {
      this.schedule(jd, jd.row.backoffUntil - now);
      this.host.onIdle();
      return;
    }
    const limit = rt.config.guards?.max_pending;
    if (limit !== undefined) {
      const unfinished = this.store.unfinished(jd.jobId, limit);
      if (unfinished >= limit) {
        this.skip(
          jd,
          `max_pending: ${unfinished} of ${limit} items unfinished`,
          { reason: 'max_pending', unfinished, limit },
          now,
        );
        this.scheduleNext(jd, rt);
        this.host.onIdle();
        return;
      }
    }
    jd.running = true;
    const first = jd.row.lastRoundAt === null;
    const state = structuredClone(jd.row.state);
    let found = 0;
    let inserted = 0;
    let merged = 0;
    let exhausted = false;
    let error: string | undefined;
    let verdict: Verdict | undefined;
    let backoff: number | undefined;
    try {
      const res = await runDiscovery(
        rt.config,
        {
          baseDir: this.host.config.baseDir,
          dataDir: this.host.config.dataDir,
          log: this.host.log.child({ job: jd.jobId, discovery: d.strategy }),
          signal: this.abort.signal,
          extra: new Map((rt.module?.strategies ?? []).map((s) => [s.name, s])),
          state,
          secrets: this.secrets,
          db: this.host.db,
        },
        (batch) => {
          const r = this.host.addItems(jd.jobId, batch);
          inserted += r.inserted;
          merged += r.merged;
        },
      );
      found = res.found;
      exhausted = res.exhausted;
      jd.row.state = state;
      jd.row.lastOkAt = Date.now();
      jd.row.failures = 0;
      jd.row.lastError = null;
      jd.row.backoffUntil = null;
    } catch (err) {
      if (this.abort.signal.aborted) {
        // Shutdown mid-round: not a failure of the source; the state stays as it was.
        jd.running = false;
        this.host.onIdle();
        return;
      }
      // A failed round loses nothing: items already handed over stay, the state (ETag,
      // cursor) stays at the last good round, and the doctor's verdict decides what next.
      const outcome = await classifyDiscoveryError(err, this.host.classifier, {
        jobId: jd.jobId,
        stage: '_discovery',
        attempt: jd.row.failures + 1,
      });
      verdict = outcome.verdict;
      // The doctor judged a network error against an outage; while it lasts, this source waits.
      if (verdict.tag === 'network' && this.host.network.down) jd.offline = true;
      if (verdict.class === 'shutdown' || verdict.class === 'cancelled') {
        jd.running = false;
        this.host.onIdle();
        return;
      }
      // The message goes to events, status and the dashboard: no key in a URL may ride along.
      error = redact(outcome.message);
      // An outage is not the source's failure: it does not grow the source's backoff.
      if (!verdict.refundAttempt) jd.row.failures += 1;
      jd.row.lastError = error;
      backoff =
        verdict.class === 'rate_limited' || verdict.refundAttempt
          ? (verdict.retryAfterMs ??
            backoffMs(jd.row.failures, ERROR_BACKOFF_BASE_MS, ERROR_BACKOFF_MAX_MS))
          : backoffMs(jd.row.failures, ERROR_BACKOFF_BASE_MS, ERROR_BACKOFF_MAX_MS);
      jd.row.backoffUntil = Date.now() + backoff;
      this.host.log.warn({ err, job: jd.jobId, class: verdict.class }, 'discovery round failed');
    } finally {
      jd.running = false;
    }
    const end = Date.now();
    jd.row.lastRoundAt = end;
    jd.row.skippedReason = null;
    jd.row.skippedAt = null;
    if (inserted > 0 || (first && !error)) {
      jd.row.lastNewAt = end;
      jd.row.quietAlertedAt = null;
    }
    this.host.tracker.event({
      jobId: jd.jobId,
      kind: 'discovery_round',
      data: {
        strategy: d.strategy,
        found,
        new: inserted,
        merged,
        errors: error ? 1 : 0,
        ms: end - now,
        error: error ?? null,
        ...(verdict ? { class: verdict.class, backoff_ms: backoff ?? null } : {}),
      },
    });
    this.host.bus.emit({
      type: 'discovery',
      jobId: jd.jobId,
      found,
      inserted,
      merged,
      ...(error ? { error } : {}),
    });
    if (exhausted) {
      jd.row.exhaustedAt = end;
      jd.row.nextRoundAt = null;
      this.host.tracker.event({
        jobId: jd.jobId,
        kind: 'discovery_exhausted',
        data: { strategy: d.strategy },
      });
      this.host.bus.emit({
        type: 'attention',
        jobId: jd.jobId,
        level: 'info',
        title: 'Backfill finished',
        message: `${jd.jobId}: the archive has no more pages; discovery stops`,
      });
    }
    this.checkQuiet(jd, quietAfterOf(d, rt.config.kind, end).ms, end);
    if (verdict?.pauseJob || verdict?.class === 'systemic') {
      const reason = verdict.pauseJob?.reason ?? `discovery: ${error}`;
      this.host.pauseJob(jd.jobId, reason, verdict.pauseJob?.untilMs, verdict);
    }
    this.scheduleNext(jd, rt, backoff ?? 0);
    this.store.save(jd.row);
    if (jd.again) {
      jd.again = false;
      this.trigger(jd.jobId);
    }
    this.host.onIdle();
  }

  private skip(jd: JobDiscovery, why: string, data: Record<string, unknown>, now: number): void {
    jd.row.skippedReason = why;
    jd.row.skippedAt = now;
    this.store.save(jd.row, now);
    this.host.tracker.event({ jobId: jd.jobId, kind: 'discovery_skipped', data }, now);
  }

  /**
   * "Source went quiet": nothing new for longer than the effective `quiet_after` (set, or
   * derived from the schedule: discovery/quietAfter.ts); once per quiet spell.
   */
  private checkQuiet(jd: JobDiscovery, quietAfter: number | null, now: number): void {
    if (quietAfter === null || jd.row.quietAlertedAt !== null) return;
    const since = jd.row.lastNewAt;
    if (since === null || now - since <= quietAfter) return;
    jd.row.quietAlertedAt = now;
    this.host.tracker.event(
      {
        jobId: jd.jobId,
        kind: 'source_quiet',
        data: { last_new_at: since, quiet_after_ms: quietAfter },
      },
      now,
    );
    this.host.bus.emit({
      type: 'attention',
      jobId: jd.jobId,
      level: 'warning',
      title: 'Source went quiet',
      message: `${jd.jobId} has found nothing new since ${new Date(since).toISOString()} (expected something within ${formatDuration(quietAfter)})`,
    });
  }
}

/** What a job's discovery schedule depends on. */
function signatureOf(job: LoadedJob): string {
  return JSON.stringify([job.kind, job.discovery ?? null]);
}
