/**
 * A progress bar on stderr for long operations (export, reprocess, bulk retry). Only on a
 * terminal and never with --json, so scripts and pipes get clean output.
 */
export class Progress {
  private readonly on: boolean;
  private last = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    json = false,
  ) {
    this.on = Boolean(process.stderr.isTTY) && !json && total > 0;
  }

  tick(done: number): void {
    if (!this.on) return;
    const now = Date.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const pct = Math.min(1, done / this.total);
    const width = 30;
    const bar = '█'.repeat(Math.round(pct * width)).padEnd(width, '░');
    process.stderr.write(`\r${this.label} ${bar} ${Math.round(pct * 100)}% ${done}/${this.total}`);
  }

  done(): void {
    if (this.on) process.stderr.write('\n');
  }
}
