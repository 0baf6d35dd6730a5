import type { Command } from 'commander';
import { openApi, print, type GlobalOptions } from '../context.ts';

export function registerWhy(program: Command): void {
  program
    .command('why <item>')
    .description(
      'one answer for why an item is not running: a dependency, a pause, a backoff, a full resource, a limit',
    )
    .addHelpText('after', '\nExamples:\n  jobctl why 4812\n  jobctl why 4812 --json')
    .action(async (item: string) => {
      const g = program.opts<GlobalOptions>();
      const { api, close } = await openApi(g);
      try {
        const r = await api.call('why', { itemId: Number(item) });
        print(g, r, () =>
          [
            `item ${r.itemId} of ${r.jobId} [${r.status}]`,
            ...r.reasons.map((x) => `  - ${x.stage ? `${x.stage}: ` : ''}${x.message}`),
          ].join('\n'),
        );
      } finally {
        close();
      }
    });
}
