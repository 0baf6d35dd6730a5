import type { Db } from '../db/openDatabase.ts';
import type { LoadedConfig } from './loadConfig.ts';

/** Unfinished rows of a job, or one stage of it, that the running config no longer has. */
export interface RetiredWork {
  job: string;
  /** null: the whole job left the config (or was disabled). */
  stage: string | null;
  unfinished: number;
}

/**
 * Work the config no longer runs: unfinished items of jobs that left jobs.yaml (or were
 * disabled) and of stages removed from a job. The rows stay in the database untouched — a job
 * put back picks them up — but nothing processes them meanwhile, so it must be said aloud.
 */
export function retiredWork(db: Db, config: LoadedConfig): RetiredWork[] {
  const rows = db
    .prepare(
      `SELECT job_id AS job, stage, count(*) AS n FROM item_stages
       WHERE status IN ('waiting', 'pending', 'running', 'retry')
       GROUP BY job_id, stage ORDER BY job_id, stage`,
    )
    .all() as { job: string; stage: string; n: number }[];
  const live = new Map(
    config.jobs.filter((j) => j.enabled).map((j) => [j.id, new Set(j.stages.map((s) => s.name))]),
  );
  const out: RetiredWork[] = [];
  const wholeJob = new Map<string, RetiredWork>();
  for (const r of rows) {
    const stages = live.get(r.job);
    if (!stages) {
      let w = wholeJob.get(r.job);
      if (!w) {
        w = { job: r.job, stage: null, unfinished: 0 };
        wholeJob.set(r.job, w);
        out.push(w);
      }
      w.unfinished += r.n;
    } else if (!stages.has(r.stage)) out.push({ job: r.job, stage: r.stage, unfinished: r.n });
  }
  return out;
}

/** `notes (12), demo/score (3)` */
export function describeRetired(work: readonly RetiredWork[]): string {
  return work.map((w) => `${w.stage ? `${w.job}/${w.stage}` : w.job} (${w.unfinished})`).join(', ');
}
