import type { Command } from 'commander';
import { parseDuration } from '../../engine/config/duration.ts';
import { CliError, EXIT, openApi, print, type GlobalOptions } from '../context.ts';
import { table } from '../table.ts';

const GROUPS = ['day', 'job', 'stage', 'model'] as const;
type Group = (typeof GROUPS)[number];

/** `jobctl costs [job] [--by day,stage,model] [--since 7d]` */
export function registerCosts(program: Command): void {
  program
    .command('costs [job]')
    .description('spend per day, job, stage and model, and today against each daily limit')
    .option('--by <groups>', 'group by any of day,job,stage,model', 'day,job,stage,model')
    .option('--since <duration>', 'how far back (e.g. 7d)', '30d')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl costs\n  jobctl costs news --by day\n  jobctl costs --by model --since 7d --json',
    )
    .action(async (jobId: string | undefined, o: { by: string; since: string }) => {
      const g = program.opts<GlobalOptions>();
      const groupBy = o.by.split(',').map((s) => s.trim()) as Group[];
      const bad = groupBy.filter((x) => !GROUPS.includes(x));
      if (bad.length > 0)
        throw new CliError(
          `--by: unknown group ${bad.join(', ')} (use ${GROUPS.join(', ')})`,
          EXIT.usage,
        );
      const { api, close } = await openApi(g);
      try {
        const r = await api.costs({
          groupBy,
          since: Date.now() - parseDuration(o.since),
          ...(jobId ? { jobId } : {}),
        });
        print(g, r, () => {
          const usd = (n: number) => `$${n.toFixed(4)}`;
          const rows = r.rows.map((x) => [
            ...groupBy.map((k) => (k === 'job' ? x.jobId : x[k]) ?? '—'),
            usd(x.usd),
            x.unknownCalls ? `${x.unknownCalls} unknown` : '',
            x.calls,
            x.tokensIn,
            x.tokensOut,
          ]);
          const lines = [
            rows.length
              ? table([...groupBy, 'usd', 'unpriced', 'calls', 'tokens in', 'tokens out'], rows, [
                  ...groupBy.map(() => 'l' as const),
                  'r',
                  'r',
                  'r',
                  'r',
                  'r',
                ])
              : 'no spend recorded in this period',
            '',
            `total ${usd(r.totalUsd)}${r.unknownCalls ? ` + ${r.unknownCalls} call(s) of unknown price (add the model under llm.prices)` : ''} · days in ${r.timeZone}`,
          ];
          for (const l of r.limits)
            lines.push(
              `today ${l.jobId ?? 'all jobs'}: ${usd(l.spentTodayUsd)} of ${usd(l.limitUsd)} daily limit`,
            );
          return lines.join('\n');
        });
      } finally {
        close();
      }
    });
}
