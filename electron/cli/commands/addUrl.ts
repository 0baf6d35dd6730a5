import type { Command } from 'commander';
import { CliError, EXIT, openApi, print, type GlobalOptions } from '../context.ts';

/** `jobctl add-url URL...`: add pages by hand, routed to jobs by `routes:` in jobs.yaml. */
export function registerAddUrl(program: Command): void {
  const g = () => program.opts<GlobalOptions>();
  program
    .command('add-url <urls...>')
    .description('add URLs by hand; `routes:` in jobs.yaml decides which job each goes to')
    .addHelpText(
      'after',
      `
Tracking parameters (utm_*, fbclid, gclid, …) are stripped, so one page is one item.
Only http(s) URLs are accepted. A URL no route matches goes to \`routes.default\`, or is
refused with the list of routes. Exit code 1 when any URL was refused.

Examples:
  jobctl add-url "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
  jobctl add-url https://example.org/a https://example.org/b --json`,
    )
    .action(async (urls: string[]) => {
      const { api, close } = await openApi(g());
      try {
        const { results } = await api.addUrls({ urls });
        print(g(), { results }, () =>
          results
            .map((r) =>
              r.refused
                ? `refused  ${r.url}\n         ${r.refused}`
                : `${r.added ? 'added  ' : 'known  '}  ${r.normalized} → ${r.jobId} (item ${r.itemId})`,
            )
            .join('\n'),
        );
        const refused = results.filter((r) => r.refused).length;
        if (refused > 0) {
          // The output above explains each refusal; the error sets the exit code for scripts.
          throw new CliError(`${refused} of ${results.length} URL(s) refused`, EXIT.failure);
        }
      } finally {
        close();
      }
    });
}
