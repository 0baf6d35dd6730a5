import type { Command } from 'commander';
import { createLogger } from '../../engine/log/logger.ts';
import { Host } from '../../engine/runner/Host.ts';
import { configPath, type GlobalOptions } from '../context.ts';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the headless host: discovery and every stage worker, until stopped')
    .option('--once', 'drain everything that is ready now, then exit (for scripts and tests)')
    .option(
      '--grace <seconds>',
      'how long shutdown waits for in-flight runs before handing them back',
      '10',
    )
    .option('--lease <seconds>', 'lease length of a claimed run (extended while it runs)', '30')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl run\n  jobctl run --config ~/research/jobs.yaml --data ~/research/data\n  jobctl run --once',
    )
    .action(async (cmdOpts: { once?: boolean; grace: string; lease: string }) => {
      const opts = program.opts<GlobalOptions>();
      const log = createLogger();
      const host = await Host.start({
        configFile: configPath(opts),
        ...(opts.data ? { dataDir: opts.data } : {}),
        log,
        engine: { leaseMs: Number(cmdOpts.lease) * 1000 },
      });
      const graceMs = Number(cmdOpts.grace) * 1000;
      let exiting = false;
      const shutdown = (signal: string) => {
        if (exiting) return;
        exiting = true;
        log.info({ signal }, 'shutting down: finishing in-flight work');
        void host.stop(graceMs).then(
          () => {
            log.flush();
            process.exit(0);
          },
          (err: unknown) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      // A crash of the event loop still leaves a clean record: heartbeat stopped, lock freed.
      process.on('uncaughtException', (err) => {
        log.fatal({ err }, 'uncaught exception: host stopping');
        host.releaseSync();
        process.exit(1);
      });
      process.on('unhandledRejection', (err) => {
        log.fatal({ err }, 'unhandled rejection: host stopping');
        host.releaseSync();
        process.exit(1);
      });
      log.info(
        { data: host.config.dataDir, jobs: host.config.jobs.map((j) => j.id), pid: process.pid },
        'host running',
      );
      if (cmdOpts.once) {
        await host.engine.waitIdle();
        await host.stop(graceMs);
        process.exit(0);
      }
    });
}
