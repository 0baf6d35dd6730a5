import { redact } from '../secrets/Redactor.ts';
import type { Db } from '../db/openDatabase.ts';

export interface JobStateRow {
  jobId: string;
  paused: boolean;
  reason: string | null;
  pausedAt: number | null;
  until: number | null;
}

/** Pauses a job (keeps the first pause time when it was already paused). */
export function setPaused(
  db: Db,
  jobId: string,
  reason: string,
  until: number | null,
  now = Date.now(),
): void {
  db.prepare(
    `INSERT INTO jobs_state (job_id, paused, pause_reason, paused_at, paused_until, updated_at) VALUES (?, 1, ?, ?, ?, ?)
     ON CONFLICT (job_id) DO UPDATE SET paused = 1, pause_reason = excluded.pause_reason,
       paused_at = coalesce(jobs_state.paused_at, excluded.paused_at), paused_until = excluded.paused_until,
       updated_at = excluded.updated_at`,
  ).run(jobId, redact(reason), now, until, now);
}

export function setResumed(db: Db, jobId: string, now = Date.now()): void {
  db.prepare(
    `INSERT INTO jobs_state (job_id, paused, updated_at) VALUES (?, 0, ?)
     ON CONFLICT (job_id) DO UPDATE SET paused = 0, pause_reason = NULL, paused_at = NULL, paused_until = NULL,
       updated_at = excluded.updated_at`,
  ).run(jobId, now);
}

export function jobStates(db: Db): Map<string, JobStateRow> {
  const rows = db
    .prepare(
      `SELECT job_id AS jobId, paused, pause_reason AS reason, paused_at AS pausedAt, paused_until AS until FROM jobs_state`,
    )
    .all() as {
    jobId: string;
    paused: number;
    reason: string | null;
    pausedAt: number | null;
    until: number | null;
  }[];
  return new Map(rows.map((r) => [r.jobId, { ...r, paused: r.paused === 1 }]));
}
