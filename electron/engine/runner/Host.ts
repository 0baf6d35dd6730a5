import { join } from 'node:path';
import { loadConfigFile, type LoadedConfig } from '../config/loadConfig.ts';
import { openDatabase, type Db } from '../db/openDatabase.ts';
import { EventBus } from '../events/EventBus.ts';
import { createDoctor } from '../doctor/createDoctor.ts';
import { attachNotifier } from '../notify/attachNotifier.ts';
import { DesktopNotifier } from '../notify/DesktopNotifier.ts';
import type { Notifier } from '../notify/Notifier.ts';
import type { Logger } from '../log/logger.ts';
import { Engine, type EngineOptions } from './Engine.ts';
import type { ErrorClassifier } from './ErrorClassifier.ts';
import { HostHeartbeat } from './HostHeartbeat.ts';
import { HostLock } from './HostLock.ts';

export interface HostOptions {
  configFile: string;
  /** Overrides jobs.yaml's data_dir. */
  dataDir?: string;
  log: Logger;
  classifier?: ErrorClassifier;
  /** Who hears about doctor pauses, cost limits, bad configs; null: nobody (the desktop shell has its own). */
  notifier?: Notifier | null;
  engine?: Partial<Pick<EngineOptions, 'leaseMs' | 'reaperIntervalMs' | 'discovery'>>;
}

/** The database file inside a data directory. */
export function dbFile(dataDir: string): string {
  return join(dataDir, 'tributary.db');
}

/**
 * A running host: the singleton lock, the one writer connection, the engine and the host
 * heartbeat. Desktop and headless both start one of these.
 */
export class Host {
  private constructor(
    readonly config: LoadedConfig,
    readonly db: Db,
    readonly engine: Engine,
    private readonly lock: HostLock,
    private readonly heartbeat: HostHeartbeat,
  ) {}

  static async start(options: HostOptions): Promise<Host> {
    const config = loadConfigFile(
      options.configFile,
      options.dataDir ? { dataDir: options.dataDir } : {},
    );
    const lock = new HostLock(config.dataDir);
    lock.acquire();
    let db: Db | undefined;
    try {
      db = openDatabase(dbFile(config.dataDir));
      const bus = new EventBus();
      // The doctor classifies failures; the notifier tells the person about its pauses.
      const classifier =
        options.classifier ?? (await createDoctor({ db, config, bus, log: options.log }));
      if (options.notifier !== null) {
        const notifier = options.notifier ?? new DesktopNotifier(options.log);
        attachNotifier(bus, notifier, config.notifications, options.log);
      }
      const engine = await Engine.create({
        db,
        config,
        log: options.log,
        bus,
        classifier,
        ...options.engine,
      });
      const heartbeat = new HostHeartbeat(db, engine.owner);
      heartbeat.start();
      engine.start();
      return new Host(config, db, engine, lock, heartbeat);
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
