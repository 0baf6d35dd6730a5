import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, formatProblem } from '../config/ConfigError.ts';
import { ConfigWatcher } from '../config/ConfigWatcher.ts';
import { LiveConfig } from '../config/LiveConfig.ts';
import type { LoadedConfig } from '../config/loadConfig.ts';
import { describeRetired, retiredWork, type RetiredWork } from '../config/retiredWork.ts';
import { planReload, type ReloadPlan } from '../config/planReload.ts';
import type { ReloadResult as ApiReloadResult } from '../api/types.ts';
import { WakeWatcher } from './WakeWatcher.ts';
import { openDatabase, type Db } from '../db/openDatabase.ts';
import { EventBus } from '../events/EventBus.ts';
import { createDoctor } from '../doctor/createDoctor.ts';
import { attachNotifier } from '../notify/attachNotifier.ts';
import { DesktopNotifier } from '../notify/DesktopNotifier.ts';
import type { Notifier } from '../notify/Notifier.ts';
import { registering, type SecretStore } from '../secrets/SecretStore.ts';
import type { Logger } from '../log/logger.ts';
import { Engine, type EngineOptions } from './Engine.ts';
import { loadAndPrepare, versionsOf, type PreparedConfig } from './loadAndPrepare.ts';
import type { ErrorClassifier } from './ErrorClassifier.ts';
import { HostHeartbeat } from './HostHeartbeat.ts';
import { HostLock } from './HostLock.ts';

export interface HostOptions {
  configFile: string;
  /** Overrides jobs.yaml's data_dir. */
  dataDir?: string;
  log: Logger;
  classifier?: ErrorClassifier;
  /** Who hears about doctor pauses, cost limits, bad configs (default: node-notifier; the desktop passes its Electron one); null: nobody. */
  notifier?: Notifier | null;
  /**
   * Where `secret:NAME` resolves for LLM stages, discovery headers and the doctor's LLM (the
   * desktop passes its keychain store). Default: environment variables.
   */
  secrets?: SecretStore;
  engine?: Partial<
    Pick<EngineOptions, 'leaseMs' | 'reaperIntervalMs' | 'discovery' | 'secrets' | 'suspectGraceMs'>
  >;
  /** Watch jobs.yaml and <data>/wake/ (default true). */
  watch?: boolean;
}

export type ReloadResult = Omit<ApiReloadResult, 'live'>;

function summarise(p: ReloadPlan): Record<string, unknown> {
  return {
    jobs_added: p.jobsAdded,
    jobs_removed: p.jobsRemoved,
    stages_added: p.stagesAdded.map((s) => `${s.job}/${s.stage}`),
    stages_removed: p.stagesRemoved.map((s) => `${s.job}/${s.stage}`),
    limits_changed: p.limitsChanged.length,
    stale: p.stale.reduce((n, s) => n + s.count, 0),
  };
}

/**
 * A data directory others can read or enter (made before 0700 was the rule, or by hand) is
 * said once at start; it is left as it is, since the person may share it on purpose.
 */
function warnIfShared(dataDir: string, log: Logger): void {
  try {
    const mode = statSync(dataDir).mode & 0o777;
    if (mode & 0o077)
      log.warn(
        { dataDir, mode: mode.toString(8) },
        `the data directory is open to other users (mode ${mode.toString(8)}); it holds results, costs and errors — \`chmod 700 ${dataDir}\` keeps it yours`,
      );
  } catch {
    // Checked again at the next start.
  }
}

function mtimeOf(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** How long a reload waits for parts that follow it asynchronously before it reports. */
const SETTLE_MS = 5_000;

/** The database file inside a data directory. */
export function dbFile(dataDir: string): string {
  return join(dataDir, 'tributary.db');
}

/**
 * A running host: the singleton lock, the one writer connection, the engine and the host
 * heartbeat. Desktop and headless both start one of these.
 */
export class Host {
  private watcher: ConfigWatcher | undefined;
  private wakeWatcher: WakeWatcher | undefined;
  private reloading: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly db: Db,
    readonly engine: Engine,
    private readonly lock: HostLock,
    private readonly heartbeat: HostHeartbeat,
    private readonly options: HostOptions,
  ) {
    engine.reloader = (dryRun) => this.reload(dryRun);
  }

  /** The config the engine runs now (changes on reload). */
  get config(): LoadedConfig {
    return this.engine.config;
  }

  /**
   * Re-reads jobs.yaml and applies the difference (or, with `dryRun`, only reports it).
   * An invalid file — or a handler module that fails to load — changes nothing: the last good
   * config keeps running, and the error is recorded as an event, shown by status and sent to
   * the notifier. Reloads are serialised.
   */
  reload(dryRun = false): Promise<ReloadResult> {
    const run = this.reloading.then(() => this.reloadGuarded(dryRun));
    this.reloading = run.catch(() => undefined);
    return run;
  }

  /** A reload never rejects: whatever goes wrong is a refused reload, said where it is seen. */
  private async reloadGuarded(dryRun: boolean): Promise<ReloadResult> {
    try {
      return await this.reloadNow(dryRun);
    } catch (err) {
      const problems = [`reload failed: ${(err as Error).message}`];
      try {
        if (!dryRun) this.recordConfigError(problems);
      } catch (e) {
        // The database itself may be what failed (or closed by stop); the log still has it.
        this.options.log.error({ err: e, problems }, 'reload failed');
      }
      return { applied: false, plan: null, problems };
    }
  }

  private async reloadNow(dryRun: boolean): Promise<ReloadResult> {
    const file = this.config.file;
    let next: LoadedConfig;
    let prepared: PreparedConfig;
    try {
      // One pass over everything (text, schema, references, handler modules with a time
      // limit); nothing below runs unless all of it passed.
      ({ config: next, prepared } = await loadAndPrepare(file, this.overrides()));
      if (next.dataDir !== this.config.dataDir) {
        throw new ConfigError([
          {
            file,
            line: 1,
            column: 1,
            path: 'data_dir',
            message: `data_dir changed (${this.config.dataDir} → ${next.dataDir}); restart the host to move to another data directory`,
          },
        ]);
      }
    } catch (err) {
      const problems =
        err instanceof ConfigError ? err.problems.map(formatProblem) : [(err as Error).message];
      if (!dryRun) this.recordConfigError(problems);
      return { applied: false, plan: null, problems };
    }
    const plan = planReload(this.db, this.config, next, versionsOf(prepared));
    if (dryRun) return { applied: false, plan, problems: [] };
    const previous = this.config;
    try {
      await this.engine.applyConfig(next, prepared);
      // Parts that rebuild asynchronously (the doctor's LLM reads its key) are done first —
      // for a while: a keychain that hangs must not hold this reload, or the next.
      if (!(await this.engine.live.settled(SETTLE_MS)))
        this.options.log.warn(
          { waitedMs: SETTLE_MS },
          'reload applied; a part is still following it (the doctor reading its key?)',
        );
    } catch (err) {
      const problems = [(err as Error).message];
      this.recordConfigError(problems);
      return { applied: false, plan, problems };
    }
    this.engine.configError = null;
    this.engine.tracker.event({ kind: 'config_reloaded', data: { file, ...summarise(plan) } });
    this.engine.bus.emit({ type: 'config', ok: true, message: `reloaded ${file}` });
    this.options.log.info({ file, ...summarise(plan) }, 'config reloaded');
    this.noteRetired(previous, plan.retired);
    return { applied: true, plan, problems: [] };
  }

  private overrides(): { dataDir?: string } {
    return this.options.dataDir ? { dataDir: this.options.dataDir } : {};
  }

  /**
   * Work that the config no longer runs stays visible (status, dashboard banner) for as long as
   * it waits; what this reload just retired is also said aloud: an event, a warning that
   * reaches the notifier, a log line.
   */
  private noteRetired(previous: LoadedConfig | null, work: RetiredWork[]): void {
    const now = Date.now();
    this.engine.retired = work.length > 0 ? { at: this.engine.retired?.at ?? now, work } : null;
    if (!previous) return;
    const wasLive = (w: RetiredWork) => {
      const job = previous.jobs.find((j) => j.id === w.job && j.enabled);
      return job !== undefined && (w.stage === null || job.stages.some((s) => s.name === w.stage));
    };
    const fresh = work.filter(wasLive);
    if (fresh.length === 0) return;
    this.engine.retired = { at: now, work };
    const total = fresh.reduce((n, w) => n + w.unfinished, 0);
    const message = `The reload of ${this.config.file} took away ${describeRetired(fresh)}: ${total} unfinished item stage(s) stay in the database, unprocessed, until the job or stage is back in jobs.yaml.`;
    this.engine.tracker.event({ kind: 'config_retired', data: { work: fresh } }, now);
    this.engine.bus.emit({
      type: 'attention',
      jobId: fresh.length === 1 ? fresh[0]!.job : null,
      level: 'warning',
      title: 'Reload retired unfinished work',
      message,
    });
    this.options.log.warn({ work: fresh }, message);
  }

  private recordConfigError(problems: string[]): void {
    const message = problems.join('\n');
    this.engine.configError = { message, at: Date.now() };
    this.engine.tracker.event({ kind: 'config_error', data: { file: this.config.file, problems } });
    this.engine.bus.emit({
      type: 'config',
      ok: false,
      message: `jobs.yaml is invalid; still running the last good config:\n${message}`,
    });
    this.options.log.error({ problems }, 'jobs.yaml is invalid; keeping the running config');
  }

  /** The file's modification time when the running config was read (a save since is news). */
  private loadedMtime: number | undefined;

  /** Reload on every change of jobs.yaml (debounced) and react to wake touch-files. */
  async watch(): Promise<void> {
    this.watcher = new ConfigWatcher(this.config.file, () => void this.reload(), this.options.log);
    this.wakeWatcher = new WakeWatcher(
      this.config.dataDir,
      (job) => this.engine.wakeAll(job),
      this.options.log,
    );
    // Armed before start() returns, so a save right after start is never missed.
    await Promise.all([this.watcher.start(), this.wakeWatcher.start()]);
    // A save while the host was starting (handler modules take a while to load) came before
    // the watcher: apply it now.
    if (this.loadedMtime !== undefined && mtimeOf(this.config.file) !== this.loadedMtime)
      void this.reload();
  }

  static async start(options: HostOptions): Promise<Host> {
    const loadedMtime = mtimeOf(options.configFile);
    // Validated as a reload validates: every problem at once, handler modules included.
    const { config, prepared } = await loadAndPrepare(
      options.configFile,
      options.dataDir ? { dataDir: options.dataDir } : {},
    );
    const lock = new HostLock(config.dataDir);
    lock.acquire();
    warnIfShared(config.dataDir, options.log);
    let db: Db | undefined;
    try {
      db = openDatabase(dbFile(config.dataDir));
      const bus = new EventBus();
      const live = new LiveConfig(config, (err) =>
        options.log.error({ err }, 'a part of the engine failed to follow the reload'),
      );
      // Whatever store the host is given, each value it hands out is registered for redaction.
      const given = options.secrets ?? options.engine?.secrets;
      const secrets = given ? registering(given) : undefined;
      // The doctor classifies failures; the notifier tells the person about its pauses.
      const classifier =
        options.classifier ??
        (await createDoctor({
          db,
          live,
          bus,
          log: options.log,
          ...(secrets ? { secrets } : {}),
        }));
      if (options.notifier !== null) {
        const notifier = options.notifier ?? new DesktopNotifier(options.log);
        attachNotifier(bus, notifier, () => live.current.notifications, options.log);
      }
      const engine = await Engine.create({
        db,
        config,
        live,
        prepared,
        log: options.log,
        bus,
        classifier,
        ...options.engine,
        ...(secrets ? { secrets } : {}),
      });
      const heartbeat = new HostHeartbeat(db, engine.owner);
      heartbeat.start();
      engine.start();
      const host = new Host(db, engine, lock, heartbeat, options);
      host.loadedMtime = loadedMtime;
      host.noteRetired(null, retiredWork(db, config));
      if (options.watch !== false) await host.watch();
      return host;
    } catch (err) {
      // Startup failed after taking the lock: give it back so the next start is not refused.
      db?.close();
      lock.release();
      throw err;
    }
  }

  private stopping: Promise<void> | undefined;

  /** Graceful stop; idempotent. */
  stop(graceMs = 10_000): Promise<void> {
    this.stopping ??= (async () => {
      try {
        await Promise.all([this.watcher?.stop(), this.wakeWatcher?.stop()]);
        await this.engine.stop(graceMs);
      } finally {
        this.releaseSync();
      }
    })();
    return this.stopping;
  }

  /** Last-resort exit path (uncaught exception): no waiting, just leave a clean record. */
  releaseSync(): void {
    try {
      this.heartbeat.stop();
    } catch {
      // The DB may be the thing that failed; the lock release below still matters.
    }
    try {
      if (this.db.open) this.db.close();
    } finally {
      this.lock.release();
    }
  }
}
