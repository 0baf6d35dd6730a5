import { watch, type FSWatcher } from 'chokidar';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from '../log/logger.ts';

/**
 * Touch-files for scripts that cannot run the CLI: creating `<data>/wake/JOB` wakes that job
 * (`<data>/wake/all` wakes every job); the file is removed once acted on.
 */
export class WakeWatcher {
  private watcher: FSWatcher | undefined;
  readonly dir: string;

  constructor(
    dataDir: string,
    private readonly wake: (jobId?: string) => string[],
    private readonly log: Logger,
  ) {
    this.dir = join(dataDir, 'wake');
  }

  /** Resolves once the folder is watched. */
  start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    // ignoreInitial false: a file touched while the host was down still counts at start.
    this.watcher = watch(this.dir, { depth: 0, ignoreInitial: false });
    this.watcher.on('add', (file) => this.touched(file));
    this.watcher.on('change', (file) => this.touched(file));
    this.watcher.on('error', (err) => this.log.warn({ err }, 'watching the wake folder failed'));
    const w = this.watcher;
    return new Promise((resolve) => w.once('ready', () => resolve()));
  }

  private touched(file: string): void {
    const name = basename(file);
    if (name.startsWith('.')) return;
    const woken = this.wake(name === 'all' ? undefined : name);
    if (woken.length === 0) this.log.warn({ file }, `wake file names no running job: ${name}`);
    try {
      rmSync(file, { force: true });
    } catch (err) {
      // Left in place it would only wake the job again on the next change; say so and go on.
      this.log.warn({ err, file }, 'could not remove the wake file');
    }
  }

  async stop(): Promise<void> {
    await this.watcher?.close();
  }
}
