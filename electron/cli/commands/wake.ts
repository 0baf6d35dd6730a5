import type { Command } from 'commander';
import { CliError, EXIT, openApi, print, type GlobalOptions } from '../context.ts';

export function registerWake(program: Command): void {
  program
    .command('wake [job]')
    .description(
      'make discovery and idle stage workers act now (within 100 ms) instead of at their next poll',
    )
    .option('--all', 'wake every job')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl wake hn-frontpage\n  jobctl wake --all\n  touch data/wake/hn-frontpage   # the same, for scripts without jobctl',
    )
    .action(async (jobId: string | undefined, o: { all?: boolean }) => {
      const g = program.opts<GlobalOptions>();
      if (!jobId && !o.all) throw new CliError('name a job or pass --all', EXIT.usage);
      const { api, live, close } = await openApi(g);
      try {
        const r = await api.wake(jobId ? { jobId } : {});
        if (!live) {
          print(g, r, () => 'no host is running: nothing to wake (start one with `jobctl run`)');
          process.exitCode = EXIT.unavailable;
          return;
        }
        print(g, r, () => `woke ${r.woken.join(', ') || 'nothing'}`);
      } finally {
        close();
      }
    });
}
