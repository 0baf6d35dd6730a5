import { Command, CommanderError } from 'commander';
import { ApiError } from '../engine/api/contract.ts';
import { ConfigError } from '../engine/config/ConfigError.ts';
import { HostLockedError } from '../engine/runner/HostLock.ts';
import { registerAddUrl } from './commands/addUrl.ts';
import { registerDiagnose } from './commands/diagnose.ts';
import { registerEvents } from './commands/events.ts';
import { registerExport } from './commands/export.ts';
import { registerReload } from './commands/reload.ts';
import { registerStats } from './commands/stats.ts';
import { registerWake } from './commands/wake.ts';
import { registerWhy } from './commands/why.ts';
import { registerControl } from './commands/control.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerFailures } from './commands/failures.ts';
import { registerItems } from './commands/items.ts';
import { registerRun } from './commands/run.ts';
import { registerStatus } from './commands/status.ts';
import { registerReprocess } from './commands/reprocess.ts';
import { registerGc } from './commands/gc.ts';
import { registerCosts } from './commands/costs.ts';
import { CliError, EXIT } from './context.ts';

/** jobctl: run and steer Tributary from the terminal. Every command also speaks `--json`. */
export function buildProgram(): Command {
  const program = new Command('jobctl')
    .description('Tributary: find work in the world and push it through YAML-defined pipelines')
    .option('-c, --config <file>', 'jobs.yaml to use (default: ./jobs.yaml or $TRIBUTARY_CONFIG)')
    .option('-d, --data <dir>', 'data directory (default: data_dir from jobs.yaml, else ./data)')
    .option('--json', 'machine-readable output')
    .showHelpAfterError()
    .exitOverride();
  registerRun(program);
  registerStatus(program);
  registerItems(program);
  registerControl(program);
  registerWake(program);
  registerReload(program);
  registerWhy(program);
  registerEvents(program);
  registerStats(program);
  registerDiagnose(program);
  registerExport(program);
  registerAddUrl(program);
  registerDoctor(program);
  registerFailures(program);
  registerReprocess(program);
  registerGc(program);
  registerCosts(program);
  return program;
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof ConfigError) return EXIT.config;
  if (err instanceof HostLockedError) return EXIT.locked;
  if (err instanceof ApiError)
    return err.code === 'not_found'
      ? EXIT.notFound
      : err.code === 'invalid_input'
        ? EXIT.usage
        : EXIT.failure;
  return EXIT.failure;
}

export async function main(argv = process.argv): Promise<void> {
  // `jobctl export job | head`: the reader closing the pipe is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : EXIT.usage;
      return;
    }
    process.stderr.write(`jobctl: ${(err as Error).message}\n`);
    process.exitCode = exitCodeFor(err);
  }
}

await main();
