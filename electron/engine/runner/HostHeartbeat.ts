import { hostname } from 'node:os';
import type { HostState } from '../api/types.ts';
import type { Db } from '../db/openDatabase.ts';

/** How often the host row is touched; a view calls a host "stale" after 3 missed beats. */
export const HEARTBEAT_MS = 2000;

/**
 * The host row: who runs, since when, and a heartbeat. `stop()` marks it stopped on every
 * exit path we control (normal exit, signals, an uncaught exception); only kill -9 or power
 * loss leaves it, and then the heartbeat's age says "stale", never "running".
 */
export class HostHeartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly owner: string,
  ) {}

  start(controlUrl: string | null = null): void {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO host (id, owner, pid, hostname, started_at, heartbeat_at, stopped_at, control_url)
         VALUES (1, @owner, @pid, @hostname, @now, @now, NULL, @controlUrl)
         ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, hostname = excluded.hostname,
           started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, stopped_at = NULL,
           control_url = excluded.control_url`,
      )
      .run({ owner: this.owner, pid: process.pid, hostname: hostname(), now, controlUrl });
    const beat = this.db.prepare(`UPDATE host SET heartbeat_at = ? WHERE id = 1 AND owner = ?`);
    this.timer = setInterval(() => {
      try {
        beat.run(Date.now(), this.owner);
      } catch {
        // A missed beat (locked file) is retried in 2 s; three misses read as "stale".
      }
    }, HEARTBEAT_MS);
    // The heartbeat keeps the host process alive on purpose (it is the host's pulse).
  }

  setControlUrl(url: string | null): void {
    this.db
      .prepare(`UPDATE host SET control_url = ? WHERE id = 1 AND owner = ?`)
      .run(url, this.owner);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.db
      .prepare(`UPDATE host SET stopped_at = ?, control_url = NULL WHERE id = 1 AND owner = ?`)
      .run(Date.now(), this.owner);
  }
}

export type { HostState };

export function hostState(
  db: Db,
  now = Date.now(),
): { state: HostState; pid?: number; heartbeatAt?: number; controlUrl?: string | null } {
  const row = db
    .prepare(
      `SELECT pid, heartbeat_at AS heartbeatAt, stopped_at AS stoppedAt, control_url AS controlUrl FROM host WHERE id = 1`,
    )
    .get() as
    | { pid: number; heartbeatAt: number; stoppedAt: number | null; controlUrl: string | null }
    | undefined;
  if (!row) return { state: 'never' };
  const state: HostState = row.stoppedAt
    ? 'stopped'
    : now - row.heartbeatAt > 3 * HEARTBEAT_MS
      ? 'stale'
      : 'running';
  return { state, pid: row.pid, heartbeatAt: row.heartbeatAt, controlUrl: row.controlUrl };
}
