import type { Command } from 'commander';
import { openApi, print, type GlobalOptions } from '../context.ts';
import { chunked } from '../chunked.ts';
import { offerUnpause } from '../offerUnpause.ts';

/** `jobctl reprocess JOB STAGE [--stale-only] [--dry-run]` */
export function registerReprocess(program: Command): void {
  program
    .command('reprocess <job> <stage>')
    .description(
      'run a stage again (and every stage after it), reusing stored upstream results and artifacts — nothing upstream is fetched again',
    )
    .option('--stale-only', 'only results made by an older version (e.g. before a prompt edit)')
    .option('--dry-run', 'print how many items and the estimated cost; change nothing')
    .option('--unpause', 'also resume the job if it is paused')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl reprocess news summarize --stale-only --dry-run\n  jobctl reprocess news extract --stale-only',
    )
    .action(
      async (
        jobId: string,
        stage: string,
        o: { staleOnly?: boolean; dryRun?: boolean; unpause?: boolean },
      ) => {
        const g = program.opts<GlobalOptions>();
        const { api, close } = await openApi(g);
        try {
          const base = { jobId, stage, staleOnly: o.staleOnly ?? false };
          const plan = await api.reprocess({ ...base, dryRun: true });
          let r = plan;
          if (!o.dryRun) {
            const count = await chunked(
              `reprocessing ${jobId}/${stage}`,
              plan.count,
              g.json,
              (afterRowId, limit) => api.reprocess({ ...base, afterRowId, limit }),
            );
            if (o.unpause && plan.paused) await api.resume({ jobId });
            r = {
              ...plan,
              count,
              dryRun: false,
              paused: plan.paused && !o.unpause,
              estimatedUsd: plan.avgUsdPerItem === null ? null : plan.avgUsdPerItem * count,
            };
          }
          const note = r.dryRun || r.count === 0 ? '' : await offerUnpause(api, jobId, r.paused, g);
          print(g, r, () => {
            const what = `${r.count} ${r.staleOnly ? 'stale ' : ''}item(s) of ${jobId}/${stage}`;
            const cost =
              r.estimatedUsd === null
                ? 'estimated cost: unknown (no spend recorded for these stages yet)'
                : `estimated cost: $${r.estimatedUsd.toFixed(4)} ($${(r.avgUsdPerItem ?? 0).toFixed(5)} per item, historical average)`;
            const stages = `stages that run again: ${r.stages.join(' → ')}`;
            return r.dryRun
              ? `would reprocess ${what}\n${stages}\n${cost}`
              : `reprocessing ${what}\n${stages}\n${cost}${note ? `\n${note}` : ''}`;
          });
        } finally {
          close();
        }
      },
    );
}
