import type { Command } from 'commander';
import type { EventRow } from '../../engine/api/types.ts';
import { openApi, type GlobalOptions } from '../context.ts';

export function registerEvents(program: Command): void {
  program
    .command('events')
    .description(
      'recent events (pauses, failures, reloads, discovery rounds); --follow streams new ones',
    )
    .option('--job <job>', 'only this job')
    .option('--item <id>', 'only this item')
    .option('--limit <n>', 'how many recent events', '50')
    .option('-f, --follow', 'keep printing new events until Ctrl-C')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl events --job hn-frontpage\n  jobctl events --follow --json | jq .kind',
    )
    .action(async (o: { job?: string; item?: string; limit: string; follow?: boolean }) => {
      const g = program.opts<GlobalOptions>();
      const { api, close } = await openApi(g);
      const filter = {
        ...(o.job ? { jobId: o.job } : {}),
        ...(o.item ? { itemId: Number(o.item) } : {}),
      };
      const show = (e: EventRow) =>
        process.stdout.write(
          g.json
            ? `${JSON.stringify(e)}\n`
            : `${new Date(e.ts).toISOString()}  ${e.kind.padEnd(18)} ${[e.jobId, e.stage, e.itemId].filter((x) => x !== null).join('/')}  ${e.data ? JSON.stringify(e.data) : ''}\n`,
        );
      try {
        const recent = await api.call('events', { ...filter, limit: Number(o.limit) });
        recent.reverse();
        if (!o.follow && g.json) {
          // One JSON document for scripts; --follow streams JSON lines instead.
          process.stdout.write(`${JSON.stringify(recent, null, 2)}\n`);
          return;
        }
        recent.forEach(show);
        if (!o.follow) return;
        // Polls the events table (works with or without a host): cheap, indexed by id.
        let last = recent.at(-1)?.id ?? 0;
        let stop = false;
        process.on('SIGINT', () => (stop = true));
        while (!stop) {
          await new Promise((r) => setTimeout(r, 500));
          const fresh = await api.call('events', { ...filter, afterId: last, limit: 1000 });
          fresh.reverse().forEach(show);
          last = fresh.at(0)?.id !== undefined ? Math.max(last, ...fresh.map((e) => e.id)) : last;
        }
      } finally {
        close();
      }
    });
}
