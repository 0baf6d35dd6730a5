import { Cron } from 'croner';
import type { PathProblem } from '../config/describeIssue.ts';
import type { ConfigFile, JobConfig } from '../config/schema.ts';
import { checkDiscoveryParams, checkEnv } from './checkDiscoveryParams.ts';

/**
 * Everything about discovery that zod's shape check cannot see: strategy params (each
 * strategy's strict schema), `every` vs `cron`, backfill jobs without a source, and the
 * `routes:` table pointing at real jobs with valid regular expressions.
 */
export function discoveryConfigProblems(
  jobs: readonly (JobConfig | undefined)[],
  routes: ConfigFile['routes'],
  /** Every job id written in the file, including jobs with problems of their own. */
  jobIds: readonly string[],
): PathProblem[] {
  const problems: PathProblem[] = [];
  const env = checkEnv(jobs.filter((j): j is JobConfig => j !== undefined));
  jobs.forEach((job, j) => {
    if (!job) return;
    const at = (...p: (string | number)[]) => ['jobs', j, 'discovery', ...p];
    const d = job.discovery;
    if (!d) {
      if (job.kind === 'backfill')
        problems.push({
          path: ['jobs', j, 'kind'],
          message: `a backfill job needs a \`discovery:\` source to page through`,
        });
      return;
    }
    for (const p of checkDiscoveryParams(d, job.handler !== undefined, env))
      problems.push({ path: at(...p.path), message: p.message });
    if (d.every !== undefined && d.cron !== undefined)
      problems.push({ path: at('cron'), message: 'set `every` or `cron`, not both' });
    if (d.cron !== undefined) {
      try {
        // A well-formed expression may still never match a day (`0 0 31 2 *`).
        if (new Cron(d.cron, { paused: true }).nextRun() === null)
          problems.push({
            path: at('cron'),
            message: `\`${d.cron}\` never fires (no date matches it); the job would never look for items`,
          });
      } catch (e) {
        // croner explains what is wrong with the expression.
        problems.push({
          path: at('cron'),
          message: `invalid cron expression: ${(e as Error).message}`,
        });
      }
    }
  });
  if (routes) {
    const ids = new Set(jobIds);
    const known = [...ids].join(', ');
    if (routes.default !== undefined && !ids.has(routes.default))
      problems.push({
        path: ['routes', 'default'],
        message: `no job \`${routes.default}\` (jobs: ${known})`,
      });
    routes.rules.forEach((r, i) => {
      if (!ids.has(r.job))
        problems.push({
          path: ['routes', 'rules', i, 'job'],
          message: `no job \`${r.job}\` (jobs: ${known})`,
        });
      if (!r.host && !r.path)
        problems.push({
          path: ['routes', 'rules', i],
          message: 'a rule needs `host`, `path` or both (use `routes.default` for a catch-all)',
        });
      if (r.path !== undefined) {
        try {
          new RegExp(r.path);
        } catch (e) {
          // Shown with the file and line of the rule.
          problems.push({ path: ['routes', 'rules', i, 'path'], message: (e as Error).message });
        }
      }
    });
  }
  return problems;
}
