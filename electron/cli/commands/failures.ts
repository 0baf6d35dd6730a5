import type { Command } from 'commander';
import { parseDuration } from '../../engine/config/duration.ts';
import { openApi, print, type GlobalOptions } from '../context.ts';
import { ago, table } from '../table.ts';

/** `jobctl failures JOB` and `jobctl clear-errors JOB`: what went wrong, and starting over. */
export function registerFailures(program: Command): void {
  const g = () => program.opts<GlobalOptions>();

  program
    .command('failures <job>')
    .description("a job's errors grouped by class and signature, with counts and an example")
    .option('--since <duration>', 'only errors newer than this (e.g. 1d, 3h)')
    .option('--limit <n>', 'at most this many groups', '50')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl failures hn-frontpage\n  jobctl failures hn-frontpage --since 1d --json',
    )
    .action(async (jobId: string, o: { since?: string; limit: string }) => {
      const { api, close } = await openApi(g());
      try {
        const r = await api.failures({
          jobId,
          limit: Number(o.limit),
          ...(o.since ? { sinceMs: Date.now() - parseDuration(o.since) } : {}),
        });
        print(g(), r, () => {
          if (r.groups.length === 0) return `no errors recorded for ${jobId}`;
          const out = [
            // The signature in full and last, so it can be copied into `jobctl doctor teach`.
            table(
              [
                'class',
                'count',
                'items',
                'last',
                'source',
                'action',
                'stage',
                'taught',
                'signature',
              ],
              r.groups.map((x) => [
                x.class,
                x.count,
                x.items,
                ago(x.lastAt),
                x.source,
                x.action,
                x.stage,
                x.taught
                  ? `→ ${x.taught.class}${x.taught.action ? `/${x.taught.action}` : ''}`
                  : '',
                x.signature,
              ]),
              ['l', 'r', 'r'],
            ),
            '',
            'examples:',
            ...r.groups
              .slice(0, 10)
              .map((x) => `  [${x.class}] ${(x.example ?? '').split('\n')[0]!.slice(0, 160)}`),
          ];
          out.push(
            '',
            r.groups.some((x) => x.taught)
              ? 'taught: a correction decides that signature from its next error on (`jobctl doctor corrections`)'
              : "a wrong verdict? `jobctl doctor teach 'SIGNATURE' CLASS` corrects it from the next error on",
          );
          if (r.streaks.length > 0)
            out.push(
              '',
              `open streaks (reset by a success or \`jobctl clear-errors ${jobId}\`): ` +
                r.streaks.map((s) => `${s.class} ×${s.count}`).join(', '),
            );
          return out.join('\n');
        });
      } finally {
        close();
      }
    });

  program
    .command('clear-errors <job>')
    .description(
      "reset the doctor's circuit breakers for a job (a paused job stays paused: unpause or retry it)",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl clear-errors hn-frontpage && jobctl unpause hn-frontpage',
    )
    .action(async (jobId: string) => {
      const { api, close } = await openApi(g());
      try {
        const r = await api.clearErrors({ jobId });
        print(
          g(),
          r,
          () =>
            `cleared ${r.cleared} error streak(s) of ${jobId}` +
            (r.paused
              ? `\nnote: ${jobId} is still paused; \`jobctl unpause ${jobId}\` resumes it`
              : ''),
        );
      } finally {
        close();
      }
    });
}
