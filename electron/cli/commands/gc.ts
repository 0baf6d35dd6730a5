import type { Command } from 'commander';
import { join } from 'node:path';
import { gcArtifacts } from '../../engine/artifacts/gcArtifacts.ts';
import { parseDuration } from '../../engine/config/duration.ts';
import { openApi, print, type GlobalOptions } from '../context.ts';

/** `jobctl gc [--dry-run] [--min-age 1h]` */
export function registerGc(program: Command): void {
  program
    .command('gc')
    .description(
      'remove stored artifacts (raw pages, transcripts) that no result references any more',
    )
    .option('--dry-run', 'report what would be removed')
    .option(
      '--min-age <duration>',
      'keep files younger than this: a running stage may not have committed its result yet',
      '1h',
    )
    .addHelpText('after', '\nExamples:\n  jobctl gc --dry-run\n  jobctl gc --min-age 0s')
    .action(async (o: { dryRun?: boolean; minAge: string }) => {
      const g = program.opts<GlobalOptions>();
      const { db, dataDir, close } = await openApi(g);
      try {
        const r = gcArtifacts(db, join(dataDir, 'artifacts'), {
          dryRun: o.dryRun ?? false,
          minAgeMs: parseDuration(o.minAge),
        });
        print(
          g,
          r,
          () =>
            `${r.dryRun ? 'would remove' : 'removed'} ${r.removed} artifact(s), ${mb(r.removedBytes)}; kept ${r.kept} (${mb(r.keptBytes)})`,
        );
      } finally {
        close();
      }
    });
}

function mb(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`;
}
