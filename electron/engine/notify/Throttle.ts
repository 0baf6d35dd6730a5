import type { Notification } from './Notifier.ts';

/**
 * At most `count` notifications per `perMs`; the rest are held and summed up in one
 * notification when the window ends, so a storm of fifty errors is one alert (plus one
 * "and N more"), never fifty and never silence.
 */
export class Throttle {
  private sent: number[] = [];
  private held: Notification[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly count: number,
    private readonly perMs: number,
    private readonly flush: (summary: Notification) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** True: send it now. False: held for the summary. */
  offer(n: Notification): boolean {
    const now = this.now();
    this.sent = this.sent.filter((t) => t > now - this.perMs);
    if (this.sent.length < this.count) {
      this.sent.push(now);
      return true;
    }
    this.held.push(n);
    if (!this.timer) {
      const wait = Math.max(0, this.sent[0]! + this.perMs - now);
      this.timer = setTimeout(() => this.release(), wait);
      this.timer.unref();
    }
    return false;
  }

  /** Held notifications right now (shutdown, tests). */
  release(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const held = this.held.splice(0);
    if (held.length === 0) return;
    this.sent.push(this.now());
    const worst = held.some((h) => h.level === 'error')
      ? 'error'
      : held.some((h) => h.level === 'warning')
        ? 'warning'
        : 'info';
    const jobs = [...new Set(held.map((h) => h.jobId).filter(Boolean))];
    this.flush({
      title: held.length === 1 ? held[0]!.title : `Tributary: ${held.length} more alerts`,
      message:
        held.length === 1
          ? held[0]!.message
          : `${held
              .slice(-3)
              .map((h) => h.title)
              .join('; ')}${held.length > 3 ? ' …' : ''}`,
      level: worst,
      jobId: jobs.length === 1 ? jobs[0]! : null,
    });
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held = [];
  }
}
