import type { Command } from 'commander';
import { openApi, print, type GlobalOptions } from '../context.ts';
import { table } from '../table.ts';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('per day, job and stage: runs done, failed, retried, and spend')
    .option('--days <n>', 'how many days back', '7')
    .option('--job <job>', 'only this job')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl stats\n  jobctl stats --days 30 --job hn-frontpage --json',
    )
    .action(async (o: { days: string; job?: string }) => {
      const g = program.opts<GlobalOptions>();
      const { api, close } = await openApi(g);
      try {
        const rows = await api.call('stats', {
          days: Number(o.days),
          ...(o.job ? { jobId: o.job } : {}),
        });
        print(g, rows, () =>
          rows.length === 0
            ? `nothing ran in the last ${o.days} day(s)`
            : table(
                ['day', 'job', 'stage', 'done', 'failed', 'retried', 'USD'],
                rows.map((r) => [
                  r.day,
                  r.jobId,
                  r.stage,
                  r.done,
                  r.failed,
                  r.retried,
                  r.usd === null ? '' : r.usd.toFixed(4),
                ]),
                ['l', 'l', 'l', 'r', 'r', 'r', 'r'],
              ),
        );
      } finally {
        close();
      }
    });
}
