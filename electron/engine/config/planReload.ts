import type { Db } from '../db/openDatabase.ts';
import type { ReloadPlan } from '../api/types.ts';
import type { LoadedConfig, LoadedJob } from './loadConfig.ts';
import { retiredWork } from './retiredWork.ts';

export type { ReloadPlan };

const LIVE_STAGE_FIELDS = [
  'concurrency',
  'timeout',
  'retry',
  'params',
  'resources',
  'uses',
  'allow_empty',
] as const;
const LIVE_JOB_FIELDS = [
  'guards',
  'discovery',
  'breakers',
  'enabled',
  'handler',
  'stage_deps',
  'kind',
] as const;

/**
 * Compares the running config with the next one. `nextVersions` are the stage versions the
 * new config resolves to (handler version or YAML override, plus built-in fingerprints);
 * stale counts come from the rows' stamped versions, so they are exact, not estimates.
 */
export function planReload(
  db: Db,
  current: LoadedConfig | null,
  next: LoadedConfig,
  nextVersions: Map<string, Map<string, string>>,
): ReloadPlan {
  const cur = new Map((current?.jobs ?? []).filter((j) => j.enabled).map((j) => [j.id, j]));
  const nxt = new Map(next.jobs.filter((j) => j.enabled).map((j) => [j.id, j]));
  const plan: ReloadPlan = {
    jobsAdded: [],
    jobsRemoved: [],
    stagesAdded: [],
    stagesRemoved: [],
    limitsChanged: [],
    stale: [],
    retired: retiredWork(db, next),
  };
  for (const id of nxt.keys()) if (!cur.has(id)) plan.jobsAdded.push(id);
  for (const id of cur.keys()) if (!nxt.has(id)) plan.jobsRemoved.push(id);
  for (const [id, job] of nxt) {
    const before = cur.get(id);
    const recorded = recordedStages(db, id);
    const beforeStages = before
      ? new Set(before.stages.map((s) => s.name))
      : new Set(recorded.keys());
    for (const s of job.stages)
      if (!beforeStages.has(s.name)) plan.stagesAdded.push({ job: id, stage: s.name });
    for (const name of beforeStages)
      if (!job.stages.some((s) => s.name === name))
        plan.stagesRemoved.push({ job: id, stage: name });
    if (before) diffJob(before, job, plan);
    for (const s of job.stages) {
      const to = nextVersions.get(id)?.get(s.name);
      if (to === undefined) continue;
      const from = recorded.get(s.name) ?? null;
      const count = (
        db
          .prepare(
            `SELECT count(*) AS n FROM item_stages WHERE job_id = ? AND stage = ? AND status = 'done' AND version IS NOT ?`,
          )
          .get(id, s.name, to) as { n: number }
      ).n;
      if (count > 0 || (from !== null && from !== to))
        plan.stale.push({ job: id, stage: s.name, from, to, count });
    }
  }
  const resNames = new Set([
    ...Object.keys(current?.resources ?? {}),
    ...Object.keys(next.resources ?? {}),
  ]);
  for (const name of resNames) {
    const a = current?.resources?.[name];
    const b = next.resources?.[name];
    if (JSON.stringify(a) !== JSON.stringify(b))
      plan.limitsChanged.push({
        where: `resources.${name}`,
        field: 'limits',
        from: a ?? null,
        to: b ?? null,
      });
  }
  return plan;
}

function diffJob(before: LoadedJob, after: LoadedJob, plan: ReloadPlan): void {
  for (const f of LIVE_JOB_FIELDS) {
    if (JSON.stringify(before[f]) !== JSON.stringify(after[f])) {
      plan.limitsChanged.push({
        where: after.id,
        field: f,
        from: before[f] ?? null,
        to: after[f] ?? null,
      });
    }
  }
  for (const s of after.stages) {
    const b = before.stages.find((x) => x.name === s.name);
    if (!b) continue;
    for (const f of LIVE_STAGE_FIELDS) {
      if (JSON.stringify(b[f]) !== JSON.stringify(s[f])) {
        plan.limitsChanged.push({
          where: `${after.id}/${s.name}`,
          field: f,
          from: b[f] ?? null,
          to: s[f] ?? null,
        });
      }
    }
  }
}

function recordedStages(db: Db, jobId: string): Map<string, string> {
  const rows = db
    .prepare(`SELECT stage, version FROM job_stages WHERE job_id = ? ORDER BY position`)
    .all(jobId) as { stage: string; version: string }[];
  return new Map(rows.map((r) => [r.stage, r.version]));
}

export function planIsEmpty(p: ReloadPlan): boolean {
  return (
    !p.jobsAdded.length &&
    !p.jobsRemoved.length &&
    !p.stagesAdded.length &&
    !p.stagesRemoved.length &&
    !p.limitsChanged.length &&
    !p.stale.some((s) => s.count > 0)
  );
}
