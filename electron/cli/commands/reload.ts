import type { Command } from 'commander';
import type { ReloadPlan } from '../../engine/api/types.ts';
import { formatDuration } from '../../engine/config/duration.ts';
import { ConfigError } from '../../engine/config/ConfigError.ts';
import { loadAndPrepare } from '../../engine/runner/loadAndPrepare.ts';
import { configPath, EXIT, openApi, print, type GlobalOptions } from '../context.ts';

export function registerReload(program: Command): void {
  program
    .command('reload')
    .description(
      'apply jobs.yaml to the running host without a restart (it also reloads by itself on save and on SIGHUP)',
    )
    .option(
      '--dry-run',
      'only print what would change: jobs and stages added/removed, limits changed, results made stale',
    )
    .addHelpText('after', '\nExamples:\n  jobctl reload --dry-run\n  jobctl reload')
    .action(async (o: { dryRun?: boolean }) => {
      const g = program.opts<GlobalOptions>();
      let session: Awaited<ReturnType<typeof openApi>>;
      try {
        session = await openApi(g);
      } catch (err) {
        // No host, and the file's text has problems: list those of the handler modules too,
        // so one run shows every problem (loadAndPrepare throws them all at once).
        if (!(err instanceof ConfigError)) throw err;
        await loadAndPrepare(configPath(g), g.data ? { dataDir: g.data } : {});
        throw err;
      }
      const { api, close } = session;
      try {
        const r = await api.reload({ dryRun: o.dryRun ?? false });
        if (r.problems.length > 0) process.exitCode = EXIT.config;
        print(g, r, () => {
          if (r.problems.length > 0) {
            return `jobs.yaml is invalid${r.live ? '; the host keeps running its last good config' : ''}:\n${r.problems.map((p) => `  ${p}`).join('\n')}`;
          }
          const head = r.applied
            ? 'applied to the running host:'
            : r.live
              ? 'would change (dry run):'
              : o.dryRun
                ? 'no host is running; against the database, the next start would change:'
                : 'no host is running; the file is valid and the next start applies it:';
          return `${head}\n${renderPlan(r.plan as ReloadPlan)}`;
        });
      } finally {
        close();
      }
    });
}

function show(v: unknown): string {
  if (typeof v === 'number' && v >= 1000) return formatDuration(v);
  return JSON.stringify(v);
}

export function renderPlan(p: ReloadPlan): string {
  const lines: string[] = [];
  for (const j of p.jobsAdded) lines.push(`  + job ${j}`);
  const unfinished = (job: string, stage: string | null) => {
    const n = p.retired.find((w) => w.job === job && w.stage === stage)?.unfinished ?? 0;
    return n > 0 ? `; ${n} UNFINISHED item stage(s) stay in the database, unprocessed` : '';
  };
  for (const j of p.jobsRemoved)
    lines.push(
      `  - job ${j} (stops after its in-flight items; its data stays${unfinished(j, null)})`,
    );
  for (const s of p.stagesAdded) lines.push(`  + stage ${s.job}/${s.stage}`);
  for (const s of p.stagesRemoved)
    lines.push(`  - stage ${s.job}/${s.stage} (its results stay${unfinished(s.job, s.stage)})`);
  for (const c of p.limitsChanged)
    lines.push(`  ~ ${c.where} ${c.field}: ${show(c.from)} → ${show(c.to)}`);
  for (const s of p.stale)
    if (s.count > 0)
      lines.push(
        `  ! ${s.job}/${s.stage}: ${s.count} result(s) become stale (version ${s.from ?? 'none'} → ${s.to})`,
      );
  return lines.length > 0 ? lines.join('\n') : '  nothing';
}
