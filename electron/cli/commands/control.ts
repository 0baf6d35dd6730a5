import type { Command } from 'commander';
import { parseDuration } from '../../engine/config/duration.ts';
import { openApi, print, type GlobalOptions } from '../context.ts';
import { chunked } from '../chunked.ts';
import { offerUnpause } from '../offerUnpause.ts';

/** pause / unpause / retry / reset / cancel: state changes through EngineApi. */
export function registerControl(program: Command): void {
  const g = () => program.opts<GlobalOptions>();

  program
    .command('pause <job> [reason...]')
    .description('pause a job: running items finish, nothing new starts')
    .option('--retry-in <duration>', 'resume automatically after this long (e.g. 3h)')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl pause hn-frontpage "provider outage"\n  jobctl pause hn-frontpage --retry-in 3h',
    )
    .action(async (jobId: string, reason: string[], o: { retryIn?: string }) => {
      const { api, close } = await openApi(g());
      try {
        const untilMs = o.retryIn ? Date.now() + parseDuration(o.retryIn) : undefined;
        const r = await api.pause({
          jobId,
          ...(reason.length ? { reason: reason.join(' ') } : {}),
          ...(untilMs ? { untilMs } : {}),
        });
        print(
          g(),
          r,
          () => `paused ${jobId}${untilMs ? ` until ${new Date(untilMs).toISOString()}` : ''}`,
        );
      } finally {
        close();
      }
    });

  program
    .command('unpause <job>')
    .alias('resume')
    .description('resume a paused job')
    .action(async (jobId: string) => {
      const { api, close } = await openApi(g());
      try {
        print(g(), await api.resume({ jobId }), () => `resumed ${jobId}`);
      } finally {
        close();
      }
    });

  program
    .command('retry <job>')
    .description('send failed and dead stages back to the queue with a fresh attempt budget')
    .option('--stage <stage>', 'only this stage')
    .option('--error-class <class>', 'only errors of this class (e.g. transient)')
    .option('--unpause', 'also resume the job if it is paused')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl retry hn-frontpage\n  jobctl retry hn-frontpage --stage fetch --error-class transient --unpause',
    )
    .action(
      async (jobId: string, o: { stage?: string; errorClass?: string; unpause?: boolean }) => {
        const { api, close } = await openApi(g());
        try {
          const filter = {
            jobId,
            ...(o.stage ? { stage: o.stage } : {}),
            ...(o.errorClass ? { errorClass: o.errorClass } : {}),
          };
          const planned = await api.retry({ ...filter, dryRun: true });
          const count = await chunked(
            `retrying ${jobId}`,
            planned.count,
            g().json,
            (afterRowId, limit) => api.retry({ ...filter, afterRowId, limit }),
          );
          if (o.unpause && planned.paused) await api.resume({ jobId });
          const result = { count, paused: planned.paused && !o.unpause };
          const note = count > 0 ? await offerUnpause(api, jobId, result.paused, g()) : '';
          print(
            g(),
            result,
            () => `${count} stage run(s) queued again in ${jobId}${note ? `\n${note}` : ''}`,
          );
        } finally {
          close();
        }
      },
    );

  program
    .command('reset <job> <stage>')
    .description(
      'put a stage back to the start for every item (or only rows in one status); downstream stages wait again',
    )
    .option('--status <status>', 'only rows in this status (e.g. failed, running)')
    .action(async (jobId: string, stage: string, o: { status?: string }) => {
      const { api, close } = await openApi(g());
      try {
        const r = await api.call('reset', {
          jobId,
          stage,
          ...(o.status ? { status: o.status } : {}),
        });
        print(g(), r, () => `${r.count} row(s) of ${jobId}/${stage} reset`);
      } finally {
        close();
      }
    });

  program
    .command('cancel <item>')
    .description(
      'cancel an item: its running stage is aborted and its unfinished stages fail as cancelled',
    )
    .action(async (item: string) => {
      const { api, close } = await openApi(g());
      try {
        const r = await api.call('cancel', { itemId: Number(item) });
        print(g(), r, () => `cancelled ${r.cancelled} stage(s) of item ${item}`);
      } finally {
        close();
      }
    });
}
