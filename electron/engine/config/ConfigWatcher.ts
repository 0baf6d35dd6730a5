import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../log/logger.ts';

/**
 * Watches jobs.yaml and calls `onChange` once per burst of writes (editors save in several
 * steps: truncate, write, rename). chokidar, not fs.watch: a rename-based atomic save
 * replaces the inode, which a plain watcher on Node 20 loses.
 */
export class ConfigWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly onChange: () => void,
    private readonly log: Logger,
    private readonly debounceMs = 200,
  ) {}

  /** Resolves once the watcher is armed: a save after this is never missed. */
  start(): Promise<void> {
    this.watcher = watch(this.file, {
      ignoreInitial: true,
      awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 20 },
    });
    this.watcher.on('all', () => this.bump());
    this.watcher.on('error', (err) =>
      this.log.warn(
        { err, file: this.file },
        'watching jobs.yaml failed; SIGHUP and `jobctl reload` still work',
      ),
    );
    const w = this.watcher;
    return new Promise((resolve) => w.once('ready', () => resolve()));
  }

  private bump(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onChange(), this.debounceMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.watcher?.close();
  }
}
