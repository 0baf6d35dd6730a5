import type { Command } from 'commander';
import { formatDuration } from '../../engine/config/duration.ts';
import { openApi, print, type GlobalOptions } from '../context.ts';
import { ago, table } from '../table.ts';

export function registerItems(program: Command): void {
  const g = () => program.opts<GlobalOptions>();

  program
    .command('items <job>')
    .description("list a job's items (filter by stage, status, text)")
    .option('--stage <stage>')
    .option('--status <status>', 'waiting|pending|running|retry|done|failed|dead|skipped')
    .option('--search <text>', 'matches the key and the discovered data')
    .option('--limit <n>', 'rows to show', '50')
    .option('--offset <n>', 'rows to skip', '0')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl items hn-frontpage --status failed\n  jobctl items hn-frontpage --stage score --status done --limit 10 --json',
    )
    .action(
      async (
        jobId: string,
        o: { stage?: string; status?: string; search?: string; limit: string; offset: string },
      ) => {
        const { api, close } = await openApi(g());
        try {
          const r = await api.call('items', {
            jobId,
            ...(o.stage ? { stage: o.stage } : {}),
            ...(o.status ? { status: o.status } : {}),
            ...(o.search ? { search: o.search } : {}),
            limit: Number(o.limit),
            offset: Number(o.offset),
          });
          print(
            g(),
            r,
            () =>
              `${table(
                ['id', 'status', 'priority', 'key', 'discovered'],
                r.items.map((i) => [
                  i.id,
                  i.status,
                  i.priority,
                  i.title ? `${i.key} (${i.title})` : i.key,
                  ago(i.discoveredAt),
                ]),
                ['r', 'l', 'r', 'l', 'l'],
              )}\n${r.items.length} of ${r.total}`,
          );
        } finally {
          close();
        }
      },
    );

  program
    .command('inspect <item>')
    .description(
      'every stage of an item with status, attempts, timings, errors and a result summary',
    )
    .action(async (item: string) => {
      const { api, close } = await openApi(g());
      try {
        const d = await api.call('item', { itemId: Number(item) });
        print(g(), d, () => {
          const head = `item ${d.item.id} of ${d.item.jobId}: ${d.item.key}  [${d.item.status}]  priority ${d.item.priority}`;
          const rows = d.stages.map((s) => [
            s.stage,
            s.status + (s.stale ? ' (stale)' : ''),
            // Host crashes are not attempts: shown apart, so a quarantine reads at a glance.
            s.crashes
              ? `${s.attempts} (+${s.crashes} crash${s.crashes === 1 ? '' : 'es'})`
              : s.attempts,
            s.elapsedMs === null ? '' : formatDuration(s.elapsedMs),
            s.version ?? '',
            s.error ? `${s.errorClass ? `[${s.errorClass}] ` : ''}${s.error.slice(0, 100)}` : '',
            s.result ? JSON.stringify(s.result).slice(0, 80) : '',
          ]);
          return `${head}\n${table(['stage', 'status', 'attempts', 'time', 'version', 'error', 'result'], rows)}`;
        });
      } finally {
        close();
      }
    });
}
