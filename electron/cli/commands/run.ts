import type { Command } from 'commander';
import { createLogger } from '../../engine/log/logger.ts';
import { Host } from '../../engine/runner/Host.ts';
import { attachDashboard, type AttachedDashboard } from '../../server/startDashboard.ts';
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
    .option(
      '--crash-grace <seconds>',
      'runs a host crash interrupted wait this long after start (a host killed again soon after each start never blames them)',
      '10',
    )
    .option(
      '--dashboard',
      'print the dashboard URL (the dashboard and control API are always served on 127.0.0.1)',
    )
    .option('--port <n>', 'dashboard port (default: a free one)')
    .addHelpText(
      'after',
      '\nExamples:\n  jobctl run\n  jobctl run --dashboard --port 8765\n  jobctl run --config ~/research/jobs.yaml --data ~/research/data\n  jobctl run --once',
    )
    .action(
      async (cmdOpts: {
        once?: boolean;
        grace: string;
        lease: string;
        crashGrace: string;
        dashboard?: boolean;
        port?: string;
      }) => {
        const opts = program.opts<GlobalOptions>();
        const log = createLogger();
        const graceMs = Number(cmdOpts.grace) * 1000;
        // Assigned once the host has started; the signal handlers below read it before that.
        // eslint-disable-next-line prefer-const
        let host: Host | undefined;
        let dashboard: AttachedDashboard | undefined;
        let exiting = false;
        let early: string | undefined;
        // Handlers go in before the host starts: a signal during start-up (the engine already
        // claims work then) is held and acted on as soon as the host exists.
        const shutdown = (signal: string) => {
          if (exiting) return;
          if (!host) {
            early = signal;
            return;
          }
          exiting = true;
          log.info({ signal }, 'shutting down: finishing in-flight work');
          const h = host;
          void (dashboard?.stop() ?? Promise.resolve())
            .then(() => h.stop(graceMs))
            .then(
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
          void dashboard?.stop();
          host?.releaseSync();
          process.exit(1);
        });
        process.on('unhandledRejection', (err) => {
          log.fatal({ err }, 'unhandled rejection: host stopping');
          host?.releaseSync();
          process.exit(1);
        });
        host = await Host.start({
          configFile: configPath(opts),
          ...(opts.data ? { dataDir: opts.data } : {}),
          log,
          engine: {
            leaseMs: Number(cmdOpts.lease) * 1000,
            suspectGraceMs: Number(cmdOpts.crashGrace) * 1000,
          },
        });
        const started = host;
        // The control API always runs (it is how `jobctl` commands reach this host); the
        // dashboard flag only decides whether its URL is announced. --once skips it: a drain
        // run is not steered from outside.
        if (!(cmdOpts.once && !cmdOpts.dashboard) && !early) {
          dashboard = await attachDashboard(
            started,
            cmdOpts.port ? { port: Number(cmdOpts.port) } : {},
          ).catch(async (err: unknown) => {
            // Port taken, say: stop the host cleanly (lock, heartbeat) before reporting.
            await started.stop(graceMs);
            throw err;
          });
        }
        if (early) return shutdown(early);
        // SIGHUP re-reads jobs.yaml (as saving it does); an invalid file changes nothing.
        process.on('SIGHUP', () => void started.reload());
        if (dashboard && cmdOpts.dashboard) {
          // stdout, not the log: this is the one line a person needs to act on.
          process.stdout.write(`Dashboard: ${dashboard.server.openUrl}\n`);
        }
        log.info(
          {
            data: started.config.dataDir,
            jobs: started.config.jobs.map((j) => j.id),
            pid: process.pid,
          },
          'host running',
        );
        if (cmdOpts.once) {
          await started.engine.waitIdle();
          exiting = true;
          await dashboard?.stop();
          await started.stop(graceMs);
          process.exit(0);
        }
      },
    );
}
