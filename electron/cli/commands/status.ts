import type { Command } from 'commander';
import type { JobSummary } from '../../engine/api/types.ts';
import { formatDuration } from '../../engine/config/duration.ts';
import { openApi, type GlobalOptions } from '../context.ts';
import { ago, table } from '../table.ts';

export function registerStatus(program: Command): void {
  program
    .command('status [job]')
    .description('per job and stage: counts by status, oldest waiting item, p50 stage time')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl status\n  jobctl status hn-frontpage\n  jobctl status --json | jq .jobs[0].stages',
    )
    .action(async (jobId: string | undefined) => {
      const opts = program.opts<GlobalOptions>();
      const { api, close } = await openApi(opts);
      try {
        const overview = await api.overview({});
        const jobs = jobId ? overview.jobs.filter((j) => j.id === jobId) : overview.jobs;
        if (jobId && jobs.length === 0) {
          await api.job({ jobId }); // throws a not-found with the list of jobs
        }
        const value = jobId
          ? { host: overview.host, config: overview.config, job: jobs[0] }
          : { ...overview, jobs, resources: await api.resources({}) };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
          return;
        }
        const h = overview.host;
        const lines = [
          `host: ${h.state}${h.pid ? ` (PID ${h.pid}, heartbeat ${ago(h.heartbeatAt)})` : ''}`,
        ];
        if (overview.config.error) {
          lines.push(
            `config: INVALID since ${ago(overview.config.error.at)}; still running the last good config:`,
            ...overview.config.error.message.split('\n').map((l) => `  ${l}`),
          );
        }
        const resources = await api.resources({});
        if (resources.length > 0) {
          lines.push(
            `resources: ${resources
              .map(
                (r) =>
                  `${r.name}${r.key ? `[${r.key}]` : ''} ${r.inUse}/${r.cap ?? '∞'}${r.tokens !== null ? ` tokens ${r.tokens}/${r.burst}${r.nextTokenInMs ? ` (+1 in ${Math.ceil(r.nextTokenInMs / 1000)}s)` : ''}` : ''}${r.waiting ? ` waiting ${r.waiting}` : ''}`,
              )
              .join(', ')}`,
          );
        }
        lines.push('');
        for (const j of jobs) lines.push(renderJob(j), '');
        if (jobs.length === 0)
          lines.push('no jobs: add one to jobs.yaml (see README, "Writing a job")');
        process.stdout.write(lines.join('\n').trimEnd() + '\n');
      } finally {
        close();
      }
    });
}

export function renderJob(j: JobSummary): string {
  const state = j.paused
    ? `paused: ${j.pauseReason ?? ''}${j.pausedUntil ? ` (until ${new Date(j.pausedUntil).toISOString()})` : ''}`
    : j.orphaned
      ? 'not in jobs.yaml'
      : j.enabled
        ? 'active'
        : 'disabled';
  const head = `${j.emoji ? `${j.emoji} ` : ''}${j.id}${j.title !== j.id ? ` — ${j.title}` : ''}  [${state}]  ${j.items} items`;
  const rows = j.stages.map((s) => [
    s.name,
    s.counts.waiting,
    s.counts.pending,
    s.counts.running,
    s.counts.retry,
    s.counts.done,
    s.counts.failed,
    s.counts.dead,
    s.counts.skipped,
    s.stale,
    s.p50Ms === null ? '' : formatDuration(s.p50Ms),
    s.oldestPendingAt ? ago(s.oldestPendingAt) : '',
  ]);
  return `${head}\n${table(
    [
      'stage',
      'waiting',
      'pending',
      'running',
      'retry',
      'done',
      'failed',
      'dead',
      'skipped',
      'stale',
      'p50',
      'oldest pending',
    ],
    rows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  )}`;
}
